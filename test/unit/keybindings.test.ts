/**
 * Our default keybindings take no chord VS Code (the version the real-VS-Code tests run) already
 * binds, on any platform, whatever its `when`: a user should never lose a built-in key to us.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands } from '../../src/shared/contributions';
import { EXTENSION_KEYBINDINGS, WORKBENCH_CHORDS } from './vscodeDefaultChords';

const KEYS: Readonly<Record<string, string>> = {
  '.': 'Period',
  ',': 'Comma',
  ';': 'Semicolon',
  "'": 'Quote',
  '[': 'BracketLeft',
  ']': 'BracketRight',
  '/': 'Slash',
  '\\': 'Backslash',
  '`': 'Backquote',
  '-': 'Minus',
  '=': 'Equal',
  up: 'UpArrow',
  down: 'DownArrow',
  left: 'LeftArrow',
  right: 'RightArrow',
  enter: 'Enter',
  escape: 'Escape',
  tab: 'Tab',
  space: 'Space',
  backspace: 'Backspace',
  delete: 'Delete',
  insert: 'Insert',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
};
const ORDER = ['ctrlcmd', 'shift', 'alt', 'winctrl', 'meta'];

/** `ctrl+alt+'` as the workbench list writes it; `mac`: read as on macOS (`cmd` is CtrlCmd, `ctrl` is WinCtrl). */
function normalize(text: string, mac: boolean): string {
  return text
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((part) => {
      const pieces = part.split(/\+(?!$)/);
      const key = pieces.pop() ?? '';
      const mods = new Set<string>();
      for (const mod of pieces) {
        if (mod === 'ctrl') mods.add(mac ? 'winctrl' : 'ctrlcmd');
        else if (mod === 'cmd' || mod === 'meta' || mod === 'win') mods.add(mac ? 'ctrlcmd' : 'meta');
        else mods.add(mod);
      }
      const name =
        KEYS[key] ?? (/^[a-z]$/.test(key) ? `Key${key.toUpperCase()}` : /^[0-9]$/.test(key) ? `Digit${key}` : /^f\d+$/.test(key) ? key.toUpperCase() : key);
      return [...ORDER.filter((m) => mods.has(m)), name].join('+');
    })
    .join(' ');
}

interface Binding {
  readonly command: string;
  readonly key?: string;
  readonly mac?: string;
  readonly win?: string;
  readonly linux?: string;
}

/** A binding's chords on every platform: Windows/Linux (`key`, `win`, `linux`) and macOS (`mac`, else `key`). */
function platformChords(binding: Omit<Binding, 'command'>): { platform: string; chord: string }[] {
  const out: { platform: string; chord: string }[] = [];
  if (binding.key !== undefined) out.push({ platform: 'win', chord: normalize(binding.win ?? binding.key, false) });
  if (binding.key !== undefined || binding.linux !== undefined) out.push({ platform: 'linux', chord: normalize(binding.linux ?? binding.key ?? '', false) });
  const mac = binding.mac ?? binding.key;
  if (mac !== undefined) out.push({ platform: 'mac', chord: normalize(mac, true) });
  return out;
}

function chordsOf(binding: Omit<Binding, 'command'>): string[] {
  const texts = [binding.key, binding.win, binding.linux].flatMap((t) => (t !== undefined ? [normalize(t, false)] : []));
  return [...texts, ...platformChords(binding).filter((c) => c.platform === 'mac').map((c) => c.chord)];
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { keybindings?: Binding[]; commands: { command: string }[] };
};
const ours = manifest.contributes.keybindings ?? [];

describe('default keybindings', () => {
  const taken = new Set([...WORKBENCH_CHORDS, ...EXTENSION_KEYBINDINGS.flatMap(chordsOf)]);

  it('reads VS Code\'s defaults the way they are written (a known binding is found)', () => {
    // Ctrl+Shift+P (Show All Commands) and Markdown's Ctrl+Shift+V: if these are not found, the list proves nothing.
    assert.ok(taken.has(normalize('ctrl+shift+p', false)));
    assert.ok(taken.has(normalize('cmd+shift+p', true)));
    assert.ok(taken.has(normalize('ctrl+alt+.', false)), 'a built-in extension chord (Copilot) is in the list');
  });

  it('binds the four cycling commands, each to a chord VS Code does not use on any platform', () => {
    const cycling = [Commands.nextFavoriteModel, Commands.previousFavoriteModel, Commands.nextRecentModel, Commands.previousRecentModel];
    assert.deepEqual(ours.map((b) => b.command).sort(), [...cycling].sort());
    const declared = new Set(manifest.contributes.commands.map((c) => c.command));
    const seen = new Set<string>();
    for (const binding of ours) {
      assert.ok(declared.has(binding.command), `${binding.command} is a contributed command`);
      assert.ok(binding.key !== undefined && binding.mac !== undefined, `${binding.command} has a key for every platform`);
      for (const chord of chordsOf(binding)) assert.ok(!taken.has(chord), `${binding.command}: ${chord} is a VS Code default`);
      for (const { platform, chord } of platformChords(binding)) {
        assert.ok(!seen.has(`${platform} ${chord}`), `${binding.command}: ${chord} is bound twice by us on ${platform}`);
        seen.add(`${platform} ${chord}`);
      }
    }
  });
});
