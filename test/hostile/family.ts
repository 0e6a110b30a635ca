/**
 * One `describe` per family of hostile inputs. Every case that runs is counted, and the suite's
 * root `after()` prints the counts so `npm test` shows how much of each family was exercised.
 */
export type Family =
  | 'hosts'
  | 'registry'
  | 'servers'
  | 'webview'
  | 'secrets'
  | 'workspace trust'
  | 'streams'
  | 'identity'
  | 'opencode config'
  | 'favorites races'
  | 'live';

const ORDER: readonly Family[] = [
  'hosts',
  'registry',
  'servers',
  'webview',
  'secrets',
  'workspace trust',
  'streams',
  'identity',
  'opencode config',
  'favorites races',
  'live',
];
const counts = new Map<Family, { ran: number; passed: number }>();

/** `describe` for one family; several files may add cases to the same family. */
export function hostileFamily(family: Family, title: string, body: (this: Mocha.Suite) => void): void {
  if (!counts.has(family)) counts.set(family, { ran: 0, passed: 0 });
  describe(`hostile ${family}: ${title}`, function () {
    afterEach(function () {
      const count = counts.get(family);
      const state = this.currentTest?.state;
      if (count === undefined || state === undefined) return; // skipped or pending: it did not run
      count.ran += 1;
      if (state === 'passed') count.passed += 1;
    });
    body.call(this);
  });
}

// A root hook: this module is loaded once, however many test files import it.
after(function () {
  const families = ORDER.filter((family) => counts.has(family));
  const ran = (family: Family): number => counts.get(family)?.ran ?? 0;
  const total = families.reduce((sum, family) => sum + ran(family), 0);
  console.log(`\n  hostile cases: ${families.map((family) => `${family} ${ran(family)}`).join(', ')} (${total} in all)`);
  for (const family of families) {
    const count = counts.get(family);
    if (count) console.log(`    ${family}: ${count.ran} ran, ${count.passed} passed`);
  }
});
