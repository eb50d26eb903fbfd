import type { Layer, Stage } from '../types';

/**
 * Constant-time lookups of a stage's layers by instruction and by number. Built once per layers
 * array and remembered, so features over a file with thousands of instructions stay linear.
 */
interface Index {
  byInstruction: Map<number, Layer>;
  byNumber: Map<number, Layer>;
}

const cache = new WeakMap<readonly Layer[], Index>();

function indexOf(stage: Stage): Index {
  let index = cache.get(stage.layers);
  if (!index) {
    index = { byInstruction: new Map(), byNumber: new Map() };
    for (const layer of stage.layers) {
      if (layer.kind !== 'filesystem') continue;
      index.byInstruction.set(layer.instruction, layer);
      index.byNumber.set(layer.number, layer);
    }
    cache.set(stage.layers, index);
  }
  return index;
}

/** The filesystem layer an instruction of the stage makes, if any. */
export function layerOfInstruction(stage: Stage, instruction: number): Layer | undefined {
  return indexOf(stage).byInstruction.get(instruction);
}

/** The stage's own filesystem layer with this number, if any. */
export function layerNumbered(stage: Stage, number: number): Layer | undefined {
  return indexOf(stage).byNumber.get(number);
}
