/** The picker's keys as pure functions: what each key does on the list and in the search box. */
import { strict as assert } from 'node:assert';
import { receiveFromView, type PickerActions } from '../../src/core/picker/pickerMessages';
import { parseQuery } from '../../webview/fuzzy';
import type { KeyInput } from '../../webview/keys/keyAction';
import { searchKeyAction } from '../../webview/keys/searchKeys';
import { treeKeyAction, type TreeKeyState } from '../../webview/keys/treeKeys';
import { flattenRows, prepareSnapshot, type Row } from '../../webview/rows';
import { entry, group, offline, snapshot } from '../webview/snapshots';

function key(name: string, mods: Partial<Omit<KeyInput, 'key'>> = {}): KeyInput {
  return { key: name, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods };
}

/** Favorites (one star), two hosts of two models, one offline host; the named sections folded. */
function list(collapsed: readonly string[] = []): readonly Row[] {
  const s = snapshot(
    [
      group('sam', [entry('sam', 'qwen3', { favorite: true }), 'gemma3']),
      group('box', ['llama3', 'phi4']),
      group('dead', [], offline()),
    ],
    { activeId: 'sam/gemma3' },
  );
  return flattenRows(prepareSnapshot(s), parseQuery(''), new Set(collapsed)).rows;
}

function at(rows: readonly Row[], kind: Row['kind'], section: string, id?: string): number {
  const i = rows.findIndex((r) => r.kind === kind && r.section === section && (id === undefined || (r.kind === 'model' && r.entry.id === id)));
  assert.ok(i >= 0, `no ${kind} row in ${section} ${id ?? ''}`);
  return i;
}

function state(rows: readonly Row[], activeIndex: number, extra: Partial<TreeKeyState> = {}): TreeKeyState {
  return { rows, activeIndex, filter: '', pageSize: 10, ...extra };
}

describe('picker keys on the list', () => {
  const rows = list();
  const gemma = at(rows, 'model', 'p:sam', 'sam/gemma3');

  it('ArrowDown and ArrowUp move to the next selectable row; ArrowUp on the first row goes to the search box', () => {
    assert.deepEqual(treeKeyAction(key('ArrowDown'), state(rows, gemma)), { type: 'move', index: at(rows, 'header', 'p:box') });
    assert.deepEqual(treeKeyAction(key('ArrowUp'), state(rows, gemma)), { type: 'move', index: at(rows, 'model', 'p:sam', 'sam/qwen3') });
    assert.deepEqual(treeKeyAction(key('ArrowUp'), state(rows, 0)), { type: 'focusSearch' });
  });

  it('Home and End go to the first and last selectable rows', () => {
    assert.deepEqual(treeKeyAction(key('Home'), state(rows, gemma)), { type: 'move', index: 0 });
    assert.deepEqual(treeKeyAction(key('End'), state(rows, gemma)), { type: 'move', index: at(rows, 'status', 'p:dead') });
  });

  it('PageDown past the end stops on the last selectable row', () => {
    assert.deepEqual(treeKeyAction(key('PageDown'), state(rows, 0, { pageSize: 100 })), { type: 'move', index: rows.length - 1 });
    assert.deepEqual(treeKeyAction(key('PageUp'), state(rows, rows.length - 1, { pageSize: 100 })), { type: 'move', index: 0 });
  });

  it('ArrowLeft folds an open header and goes from a model to its header; ArrowRight unfolds, then enters the section', () => {
    const box = at(rows, 'header', 'p:box');
    assert.deepEqual(treeKeyAction(key('ArrowLeft'), state(rows, box)), { type: 'fold', section: 'p:box', collapse: true });
    assert.deepEqual(treeKeyAction(key('ArrowLeft'), state(rows, gemma)), { type: 'move', index: at(rows, 'header', 'p:sam') });
    assert.deepEqual(treeKeyAction(key('ArrowRight'), state(rows, box)), { type: 'move', index: box + 1 });
    const folded = list(['p:box']);
    const foldedBox = at(folded, 'header', 'p:box');
    assert.deepEqual(treeKeyAction(key('ArrowRight'), state(folded, foldedBox)), { type: 'fold', section: 'p:box', collapse: false });
    assert.deepEqual(treeKeyAction(key('ArrowLeft'), state(folded, foldedBox)), { type: 'none' }, 'a folded header stays, and the key does not scroll');
  });

  it('Enter uses the cursor row; Space stars a model and folds a header', () => {
    assert.deepEqual(treeKeyAction(key('Enter'), state(rows, gemma)), { type: 'activate', index: gemma });
    const star = treeKeyAction(key(' '), state(rows, gemma));
    assert.equal(star?.type === 'star' ? star.entry.id : undefined, 'sam/gemma3');
    assert.deepEqual(treeKeyAction(key(' '), state(rows, 0)), { type: 'activate', index: 0 });
  });

  it('Tab is left to the browser so it leaves the view; Shift+Tab goes to the search box', () => {
    assert.equal(treeKeyAction(key('Tab'), state(rows, gemma)), undefined);
    assert.deepEqual(treeKeyAction(key('Tab', { shiftKey: true }), state(rows, gemma)), { type: 'focusSearch' });
  });

  it('typing goes on in the search box; Backspace edits the filter there; Escape clears a filter and is left alone without one', () => {
    assert.deepEqual(treeKeyAction(key('q'), state(rows, gemma, { filter: 'gem' })), { type: 'setFilter', value: 'gemq', focusSearch: true });
    assert.deepEqual(treeKeyAction(key('Backspace'), state(rows, gemma, { filter: 'gem' })), { type: 'setFilter', value: 'ge', focusSearch: true });
    assert.equal(treeKeyAction(key('q', { ctrlKey: true }), state(rows, gemma)), undefined, 'a shortcut is not typing');
    assert.deepEqual(treeKeyAction(key('Escape'), state(rows, gemma, { filter: 'gem' })), { type: 'setFilter', value: '', focusSearch: false });
    assert.equal(treeKeyAction(key('Escape'), state(rows, gemma)), undefined);
  });

  it('Shift+F10 and the context-menu key open the row menu; F10 alone is not the list\'s', () => {
    assert.deepEqual(treeKeyAction(key('F10', { shiftKey: true }), state(rows, gemma)), { type: 'openMenu', index: gemma });
    assert.deepEqual(treeKeyAction(key('ContextMenu'), state(rows, gemma)), { type: 'openMenu', index: gemma });
    assert.equal(treeKeyAction(key('F10'), state(rows, gemma)), undefined);
  });
});

describe('picker keys in the search box', () => {
  it('ArrowDown enters a list that has rows; Enter uses the cursor row; Escape clears a filter and goes no further', () => {
    assert.deepEqual(searchKeyAction(key('ArrowDown'), { rowCount: 3, activeIndex: 1, filter: '' }), { type: 'focusTree' });
    assert.equal(searchKeyAction(key('ArrowDown'), { rowCount: 0, activeIndex: -1, filter: 'zz' }), undefined);
    assert.deepEqual(searchKeyAction(key('Enter'), { rowCount: 3, activeIndex: 1, filter: '' }), { type: 'activate', index: 1 });
    assert.equal(searchKeyAction(key('Enter'), { rowCount: 0, activeIndex: -1, filter: 'zz' }), undefined);
    assert.deepEqual(searchKeyAction(key('Escape'), { rowCount: 3, activeIndex: 1, filter: 'q' }), { type: 'setFilter', value: '', focusSearch: false, stopPropagation: true });
    assert.equal(searchKeyAction(key('Escape'), { rowCount: 3, activeIndex: 1, filter: '' }), undefined);
    assert.equal(searchKeyAction(key('Tab'), { rowCount: 3, activeIndex: 1, filter: '' }), undefined, 'Tab moves on to the list');
  });
});

describe('Tab out of the picker, on the host', () => {
  it('the view\'s focusNextPart reaches the host\'s focusNextPart action and nothing else', async () => {
    const calls: string[] = [];
    const record = (name: string) => async () => {
      calls.push(name);
    };
    const actions: PickerActions = {
      ready: () => calls.push('ready'),
      refresh: record('refresh'),
      openRegistry: record('openRegistry'),
      addProvider: record('addProvider'),
      focusNextPart: record('focusNextPart'),
      select: record('select'),
      toggleFavorite: record('toggleFavorite'),
      modelAction: record('modelAction'),
      post: () => calls.push('post'),
      warn: () => calls.push('warn'),
      scrub: (text) => text,
    };
    assert.equal(await receiveFromView({ type: 'focusNextPart' }, actions), 'handled');
    assert.deepEqual(calls, ['focusNextPart']);
  });
});
