import { analyzeParsed, stageOutcome, type StageState } from './model/analyze';
import { IncrementalParser } from './model/chunks';
import { StageMemo } from './model/stageMemo';
import type { CopySize } from './sizes/copySize';
import type { ContextSnapshot } from './sizes/context';
import { SizeMemo } from './sizes/sizeMemo';
import type { AnalyzeOptions, DockerfileModel } from './types';

/**
 * One document's analysis across its edits: each version gets the model analyzeDockerfile (and,
 * through the host's sizeModel, estimateSizes) would give it, but only what an edit touched is
 * parsed (./model/chunks.ts), walked (./model/stageMemo.ts) and sized (./sizes/sizeMemo.ts) again.
 * The host keeps one per open document and drops it on close.
 */
export class IncrementalAnalysis {
  private readonly parser = new IncrementalParser();
  private readonly walks = new StageMemo<StageState>(stageOutcome);
  /** per-stage sizes of the previous size pass */
  readonly sizes = new SizeMemo<unknown>();
  private copies: { snapshot: ContextSnapshot; sizes: Map<string, CopySize | null> } | undefined;

  analyze(text: string, options: AnalyzeOptions = {}): DockerfileModel {
    return analyzeParsed(this.parser.parse(text), options, this.walks);
  }

  /** COPY/ADD sizes already computed against `snapshot`, by instruction text (see precomputeCopySizes). */
  copySizes(snapshot: ContextSnapshot): Map<string, CopySize | null> {
    if (this.copies?.snapshot !== snapshot) this.copies = { snapshot, sizes: new Map() };
    return this.copies.sizes;
  }
}
