import type { CatalogView } from '../catalog/catalogView';
import { swapQuestionText, swapRisk, type PeerTest, type SwapQuestion } from './swapRisk';

/** The user's answer: go ahead, go ahead and stop asking, or cancel (undefined). */
export type SwapAnswer = 'switch' | 'stopAsking' | undefined;

export interface SwapGuardDeps {
  readonly view: () => CatalogView;
  /** The canonical composite id for what a caller passed (a legacy bare id too), if it resolves. */
  readonly canonical: (id: string) => string | undefined;
  readonly isPeer: PeerTest;
  /** `boocode.askBeforeSwap`. */
  readonly enabled: () => boolean;
  readonly ask: (question: SwapQuestion, text: string) => Promise<SwapAnswer>;
  /** Turns `boocode.askBeforeSwap` off (the user's own settings). */
  readonly stopAsking: () => Promise<void>;
}

/**
 * The one place every choosing path (sidebar, Select Model, the row menu, session pushes) asks
 * before a choice that may stop a model serving requests. Nothing is asked when the setting is
 * off or there is nothing at risk.
 */
export class SwapGuard {
  constructor(private readonly deps: SwapGuardDeps) {}

  /** The question choosing `id` would ask now, if any. */
  question(id: string): SwapQuestion | undefined {
    if (!this.deps.enabled()) return undefined;
    const canonical = this.deps.canonical(id);
    return canonical === undefined ? undefined : swapRisk(this.deps.view(), canonical, this.deps.isPeer);
  }

  /** Resolves true when the choice may go ahead (asked and confirmed, or nothing to ask). */
  async confirm(id: string): Promise<boolean> {
    const question = this.question(id);
    if (question === undefined) return true;
    const answer = await this.deps.ask(question, swapQuestionText(question));
    if (answer === 'stopAsking') await this.deps.stopAsking();
    return answer !== undefined;
  }
}
