/**
 * The sidebar's unload entries (VS Code's own row and header menus) follow each model's live state,
 * and a choice the host asks about first is not announced as made.
 */
import * as assert from 'node:assert/strict';
import type { FromWebview } from '../../src/shared/protocol';
import { menuTitles, recordContextMenus, recordedContextMenus } from './rowMenu';
import { useHarness } from './harness';
import { openPicker, type PickerPage } from './pickerPage';
import { entry, group, online, snapshot } from './snapshots';

type RequestMessage = Extract<FromWebview, { type: 'request' }>;

const UNLOAD = 'Unload from Its Host';
const UNLOAD_ALL = 'Unload All Models on This Host';

/** sam runs `coder` (ready) and loads `gemma` (starting); `qwen` is stopped; `box2/llama` is a peer (no state); vllm is not llama-swap. */
function fleet(coder: 'ready' | 'stopped' = 'ready', gemma: 'starting' | 'stopped' = 'starting') {
  return snapshot([
    group(
      'sam',
      [
        entry('sam', 'coder', { state: coder, loaded: coder === 'ready', favorite: true }),
        entry('sam', 'gemma', { state: gemma, loaded: false }),
        entry('sam', 'qwen', { state: 'stopped', loaded: false }),
        entry('sam', 'box2/llama'),
      ],
      online(),
      'sam-desktop',
    ),
    { ...group('vllm', [entry('vllm', 'big', { loaded: true })]), kind: 'openai-compatible' },
  ]);
}

describe('unload in the sidebar (Chromium)', function () {
  this.timeout(60_000);
  const harness = useHarness();
  let picker: PickerPage | undefined;

  afterEach(async () => {
    if (picker !== undefined) {
      assert.deepEqual(picker.errors, [], 'no page errors');
      await picker.close();
      picker = undefined;
    }
  });

  async function open(): Promise<PickerPage> {
    picker = await openPicker(harness.browser(), harness.server());
    return picker;
  }

  async function menuOf(p: PickerPage, selector: string): Promise<string[]> {
    const before = (await recordedContextMenus(p.page)).length;
    await p.page.click(selector, { button: 'right' });
    const menus = await recordedContextMenus(p.page);
    assert.equal(menus.length, before + 1, `one menu for ${selector}`);
    return menuTitles(menus.at(-1) ?? {});
  }

  it('offers Unload on a model ready on its llama-swap host only, in Favorites too, and follows the state', async () => {
    const p = await open();
    await p.sendSnapshot(fleet());
    await recordContextMenus(p.page);
    const model = (section: string, id: string) => `[data-section="${section}"][data-id="${id}"]`;
    assert.ok((await menuOf(p, model('p:sam', 'sam/coder'))).includes(UNLOAD));
    assert.ok((await menuOf(p, model('favorites', 'sam/coder'))).includes(UNLOAD), 'the favorite row of the same model');
    for (const [id, why] of [
      ['sam/gemma', 'starting'],
      ['sam/qwen', 'stopped'],
      ['sam/box2/llama', 'a peer'],
    ] as const) {
      assert.ok(!(await menuOf(p, model('p:sam', id))).includes(UNLOAD), `${id} is ${why}`);
    }
    assert.ok(!(await menuOf(p, model('p:vllm', 'vllm/big'))).includes(UNLOAD), 'not a llama-swap host, though it says loaded');

    // The host stopped it (the live stream said so): the next snapshot takes the entry away.
    await p.sendSnapshot(fleet('stopped'));
    assert.ok(!(await menuOf(p, model('p:sam', 'sam/coder'))).includes(UNLOAD));
    assert.deepEqual(
      (await p.posted()).filter((m) => m.type === 'request'),
      [],
      'nothing is asked of the host until VS Code runs the chosen item',
    );
  });

  it('offers Unload All on the header of a llama-swap host running or loading something, not on an idle one or another kind', async () => {
    const p = await open();
    await p.sendSnapshot(fleet());
    await recordContextMenus(p.page);
    const header = (section: string) => `[data-kind="header"][data-section="${section}"]`;
    assert.deepEqual(await menuOf(p, header('p:sam')), [UNLOAD_ALL]);
    const [context] = (await recordedContextMenus(p.page)).slice(-1);
    assert.equal(context?.['boocodeProvider'], 'sam');
    assert.deepEqual(await menuOf(p, header('p:vllm')), []);
    assert.deepEqual(await menuOf(p, header('favorites')), []);
    await p.sendSnapshot(fleet('ready', 'stopped'));
    assert.deepEqual(await menuOf(p, header('p:sam')), [UNLOAD_ALL], 'coder still runs');
    await p.sendSnapshot(fleet('stopped', 'stopped'));
    assert.deepEqual(await menuOf(p, header('p:sam')), []);
  });

  it('says a choice the host asks about first is not made yet', async () => {
    const p = await open();
    await p.sendSnapshot(fleet());
    await p.page.dblclick('[data-section="p:sam"][data-id="sam/qwen"]');
    const select = (await p.posted()).filter((m): m is RequestMessage => m.type === 'request').at(-1);
    assert.deepEqual(select?.request, { method: 'select', id: 'sam/qwen' });
    await p.send({ type: 'response', requestId: select?.requestId, ok: true, asked: true });
    await p.settle();
    const said = (await p.page.textContent('[data-kind="announcement"]')) ?? '';
    assert.equal(said, 'sam-desktop is serving requests with another model: answer the question before qwen is used.');
    assert.doesNotMatch(said, /is the chat model/);
  });
});
