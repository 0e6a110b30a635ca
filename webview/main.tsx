/** The picker's bundle: mounts the view into `#root` (over the host's first screen, if it drew one). */
import { mount } from './mount';

const root = document.getElementById('root');
if (root === null) throw new Error('The picker needs a #root element');
mount(root);
