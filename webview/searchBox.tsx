import type { RefObject } from 'preact';
import { t } from '../src/shared/l10n';

export interface SearchBoxProps {
  value: string;
  inputRef: RefObject<HTMLInputElement | null>;
  controls: string;
  onInput(value: string): void;
  onKeyDown(event: KeyboardEvent): void;
}

/**
 * A plain input styled with VS Code's input variables. `vscode-textfield` would bring Lit with it
 * (about 24 KB minified), more than the webview's size budget allows.
 */
export function SearchBox(props: SearchBoxProps) {
  return (
    <div class="search">
      <i class="codicon codicon-search" aria-hidden="true" />
      <input
        ref={props.inputRef}
        type="text"
        class="search-input"
        placeholder={t('Search models')}
        title={t('Search models by name, id or host. The words tools, vision, reranker and embedding also find the models whose host reports that capability.')}
        aria-label={t('Search models')}
        aria-controls={props.controls}
        spellcheck={false}
        autocomplete="off"
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        onKeyDown={props.onKeyDown}
      />
    </div>
  );
}
