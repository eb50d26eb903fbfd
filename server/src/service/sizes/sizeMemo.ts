import { stageContent } from '../model/stageMemo';
import { samePlainData } from '../plainData';
import type { Layer, Stage, WastedBytes } from '../types';

/**
 * What the size pass keeps of each stage from one version of a document to the next: a stage is
 * sized again only when its walk's content (../model/stageMemo.ts; positions aside, sizes never
 * read them), its resolved dependencies, what it reads of earlier stages (the parent's and copied
 * stages' sizes and state) or the services changed. A stage sized again to the same totals and
 * state as before does not reach the stages that read it. The host names the services by values
 * that are equal exactly when the services answer alike (the apt table, the platform, the build
 * context's snapshot).
 *
 * The layer breakdowns read across stages: a COPY/ADD's files are emitted, and every breakdown's
 * entries flagged, only once the waste pass over the target's whole layer chain has said what later
 * layers (in this stage or one built on it) delete or overwrite. That pass runs after the memo on
 * every size pass; the memo keeps what it made of a layer only while the layer (the same object:
 * its stage was not sized again) and its waste items are those of the previous pass.
 */
export interface SizeReuse<State> {
  memo: SizeMemo<State>;
  services: readonly unknown[];
}

interface Entry<State> {
  content: object;
  services: readonly unknown[];
  dependencies: string;
  /** the outcome tokens of the stages it reads */
  reads: readonly object[];
  name: string | undefined;
  layers: Stage['layers'];
  sizes: Stage['sizes'];
  state: State;
  /** the same object while the stage's sizes and state are equal to the previous pass's */
  outcome: object;
}

/** A layer as the breakdown pass finished it. */
interface Finished {
  wasted: readonly WastedBytes[];
  layer: Layer;
}

export class SizeMemo<State> {
  private previous: Entry<State>[] = [];
  /** by the layer the size pass made: what the breakdown pass made of it */
  private previousFinished = new Map<Layer, Finished>();
  /** by a stage's sized layers: its finished layers */
  private previousLayers = new Map<readonly Layer[], readonly Layer[]>();

  /** One size pass over a model; `states` is the pass's own per-stage state, by stage index. */
  start(services: readonly unknown[], states: State[]): SizeMemoRun {
    const previous = this.previous;
    const current: Entry<State>[] = [];
    const previousFinished = this.previousFinished;
    const finished = new Map<Layer, Finished>();
    const previousLayers = this.previousLayers;
    const layers = new Map<readonly Layer[], readonly Layer[]>();
    return {
      stage: (stage, size) => {
        const content = stageContent(stage);
        const reads = readStages(stage).map((i) => current[i]?.outcome);
        if (content === undefined || reads.some((r) => r === undefined)) return size();
        const dependencies = dependencyKey(stage);
        const before = previous[stage.index];
        const same = before !== undefined && before.dependencies === dependencies && sameItems(before.services, services);
        if (same && before.content === content && sameItems(before.reads, reads)) {
          current[stage.index] = before;
          states[stage.index] = before.state;
          return { ...stage, layers: before.layers, sizes: before.sizes };
        }
        const sized = size();
        const state = states[stage.index]!;
        // what a later stage reads of this one: its name (in its figures' details), sizes and state
        const outcome = before !== undefined && before.name === stage.name && samePlainData(before.sizes, sized.sizes) && samePlainData(before.state, state) ? before.outcome : {};
        current[stage.index] = { content, services, dependencies, reads: reads as object[], name: stage.name, layers: sized.layers, sizes: sized.sizes, state, outcome };
        return sized;
      },
      finished: (layer, wasted, finish) => {
        const before = previousFinished.get(layer);
        const result = before && samePlainData(before.wasted, wasted) ? before : { wasted, layer: finish() };
        finished.set(layer, result);
        return result.layer;
      },
      layers: (sized, done) => {
        const before = previousLayers.get(sized);
        const result = before && sameItems(before, done) ? before : done;
        layers.set(sized, result);
        return result as Layer[];
      },
      finish: () => {
        this.previous = current;
        this.previousFinished = finished;
        this.previousLayers = layers;
      },
    };
  }
}

export interface SizeMemoRun {
  /** The sized stage: the previous pass's sizes when nothing it depends on changed, else size(). */
  stage(stage: Stage, size: () => Stage): Stage;
  /** A sized layer with its breakdown finished (waste marked): the previous pass's when the same layer met the same waste. */
  finished(layer: Layer, wasted: readonly WastedBytes[], finish: () => Layer): Layer;
  /** A stage's finished layers: the previous pass's array when every layer is the one it held. */
  layers(sized: readonly Layer[], finished: Layer[]): Layer[];
  finish(): void;
}

/** Earlier stages whose sizes and state a stage's sizing reads. */
function readStages(stage: Stage): number[] {
  const reads = stage.dependencies.flatMap((d) => (d.stage !== undefined && d.stage < stage.index ? [d.stage] : []));
  if (stage.base.kind === 'stage') reads.push(stage.base.stage);
  return reads;
}

function dependencyKey(stage: Stage): string {
  return JSON.stringify(stage.dependencies.map((d) => [d.kind, d.stage, d.image, d.reference, d.instruction]));
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
