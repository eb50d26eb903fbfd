import { baselineText, EFFECT_TEXT, PHRASES, say, type Locale } from '../explain';
import { describeStage } from '../model/graph';
import type { DockerfileModel, InstructionInfo, Layer, Position, Range, SizeFigure, Stage } from '../types';
import { formatBytes, formatCompressed, formatFigure } from './sizeText';
import { BUILD, LABELS, RUN, SHIP } from '../concepts';
import { cacheInputsText } from '../cache/inputs';
import { SHOW_LAYERS_COMMAND, type ShowLayersArgs } from '../../../../protocol/commands';
import { instructionAt } from './locate';
import { describeFigure, describeNotes } from '../sizes/messages';
import { rebuildReason } from '../cache/predict';
import { BREAKDOWN_WORDS, topContributors } from './breakdownText';

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** Which layer the instruction under the cursor makes, or that it makes none, and why. */
export function hover(model: DockerfileModel, position: Position, locale: Locale = 'en', uri?: string): HoverResult | null {
  const located = instructionAt(model, position);
  if (!located) return null;
  const { instruction, stage } = located;
  const lines = [headline(model, instruction, stage, locale)];
  const layer = stage?.layers.find((l) => l.instruction === instruction.index && (l.kind === 'filesystem' || instruction.keyword === 'FROM'));
  if (stage && instruction.keyword === 'FROM') lines.push(...baseLines(stage, locale), lastBuildLine(layer, locale), stageRole(model, stage, locale));
  if (stage?.isTarget && instruction.keyword === 'FROM' && model.lastBuild && 'problem' in model.lastBuild) {
    lines.push(`*${escapeMarkdown(say(PHRASES.lastBuildUnavailable, locale, { image: model.lastBuild.image, problem: model.lastBuild.problem }))}*`);
  }
  if (instruction.effect === 'filesystem') lines.push(...layerSizeLines(layer, locale), lastBuildLine(layer, locale));
  lines.push(contributorLines(layer, locale));
  // The cache once: whether the next build reuses the step when a baseline is known, else what it depends on.
  if (stage) lines.push(nextBuildLine(model, stage, layer, locale) || (cacheInputsText(instruction, layer, stage, locale) ?? ''));
  if (stage) lines.push(conceptLine(instruction, layer, locale));
  if (stage && uri) lines.push(treeLink(uri, stage, layer, locale));
  return { markdown: lines.filter(Boolean).join('\n\n'), range: instruction.range };
}

function headline(model: DockerfileModel, instruction: InstructionInfo, stage: Stage | undefined, locale: Locale): string {
  const values = effectValues(model, instruction, stage);
  const why = say(EFFECT_TEXT[instruction.reason], locale, values);
  if (instruction.effect === 'filesystem' && stage) {
    return `**${say(PHRASES.layerOf, locale, { number: instruction.layer ?? '?', stage: code(stageName(stage)) })}** — ${why}`;
  }
  if (instruction.keyword === 'FROM' && stage) {
    return `**${say(PHRASES.stageStart, locale, { stage: code(stageName(stage)) })}** — ${why}`;
  }
  return `**${say(PHRASES.noLayer, locale)}** — ${why}`;
}

function effectValues(model: DockerfileModel, instruction: InstructionInfo, stage: Stage | undefined): Record<string, string> {
  const base = stage?.base;
  return {
    path: instruction.args.replace(/^["']|["']$/g, ''),
    image: base?.kind === 'image' ? base.display : '',
    parent: base?.kind === 'stage' ? code(stageName(model.stages[base.stage]!)) : '',
  };
}

function stageRole(model: DockerfileModel, stage: Stage, locale: Locale): string {
  const target = model.stages[model.target];
  if (!target) return '';
  if (stage.isTarget) return say(PHRASES.inImage, locale);
  if (!stage.used) return say(PHRASES.notBuilt, locale, { target: code(stageName(target)) });
  const readers = model.stages.filter((s) => s.used && s.dependencies.some((d) => d.stage === stage.index));
  return say(PHRASES.feedsTarget, locale, { targets: readers.map((s) => code(stageName(s))).join(', ') });
}

/** Reused or rebuilt on the next build, when a baseline (the last commit) is known. */
function nextBuildLine(model: DockerfileModel, stage: Stage, layer: Layer | undefined, locale: Locale): string {
  if (!model.cache || !stage.used || layer?.kind !== 'filesystem') return '';
  const step = model.cache.prediction.stages[stage.index]?.steps.find((s) => s.layer === layer.number);
  if (!step) return '';
  const values = { baseline: baselineText(model.cache, locale), reason: escapeMarkdown(rebuildReason(step, model, locale)) };
  return `**${say(step.reused ? PHRASES.nextBuildReused : PHRASES.nextBuildRebuilt, locale, values)}**`;
}

/**
 * Build / Ship / Run in one line, only where this instruction differs from what every layer does
 * (the layer tree explains the default): FROM's kernel, CMD/ENTRYPOINT/USER/EXPOSE/VOLUME… at run
 * time, and what a metadata instruction means for a push.
 */
function conceptLine(instruction: InstructionInfo, layer: Layer | undefined, locale: Locale): string {
  const run = RUN[instruction.keyword];
  if (run) return `**${say(LABELS.run, locale)}** ${say(run, locale)}`;
  const makesLayer = instruction.effect === 'filesystem' || (instruction.keyword === 'FROM' && layer !== undefined);
  if (!makesLayer && instruction.effect === 'metadata') return `**${say(LABELS.ship, locale)}** ${say(SHIP.metadata, locale)}`;
  const build = BUILD[instruction.keyword];
  return build ? `**${say(LABELS.build, locale)}** ${say(build, locale)}` : '';
}

/** A command link that opens the layer tree at this row (the client trusts only this command). */
function treeLink(uri: string, stage: Stage, layer: Layer | undefined, locale: Locale): string {
  const args: ShowLayersArgs = { uri, stage: stage.index, ...(layer && layer.kind === 'filesystem' ? { layer: layer.number } : {}) };
  return `[${say(LABELS.showInTree, locale)}](command:${SHOW_LAYERS_COMMAND}?${encodeURIComponent(JSON.stringify([args]))})`;
}

function layerSizeLines(layer: Layer | undefined, locale: Locale): string[] {
  if (!layer?.size) return [`*${say(PHRASES.sizeLater, locale)}*`];
  // the first note only: the layer tree lists them all
  const notes = describeNotes(layer, locale);
  const more = notes.length > 1 ? ` ${say(PHRASES.moreNotes, locale, { count: notes.length - 1 })}` : '';
  return [sizeLine(layer.size, locale), `*${escapeMarkdown(describeFigure(layer.size, locale))}*`, ...notes.slice(0, 1).map((n) => `- ${escapeMarkdown(n)}${more}`)];
}

/** "Last build: 132.0 MB (predicted 124.6 MB)", when a built image of this Dockerfile is known. */
function lastBuildLine(layer: Layer | undefined, locale: Locale): string {
  const built = layer?.built;
  if (!built || built.bytes === null) return '';
  const values = {
    actual: formatBytes(built.bytes),
    predicted: built.predicted?.bytes != null ? formatBytes(built.predicted.bytes) : '?',
    reason: escapeMarkdown(built.reason ?? ''),
  };
  return say(built.current || !built.reason ? PHRASES.lastBuild : PHRASES.lastBuildRebuilds, locale, values);
}

/** The layer's three largest contributors, one line each: `git 46.0 MB · requested`. */
function contributorLines(layer: Layer | undefined, locale: Locale): string {
  if (!layer?.breakdown || layer.breakdown.entries.length === 0) return '';
  const history = layer.breakdown.kind === 'base';
  const rows = topContributors(layer.breakdown, locale, 3).map((t) => {
    // file names may hold any character but `/`: one line, cut to a readable length
    const flat = (history ? readableHistory(t.name, locale) : t.name).replace(/[\u0000-\u001f\u007f]/g, ' ');
    const name = flat.length > MAX_NAME ? `${flat.slice(0, MAX_NAME - 1)}…` : flat;
    return `- ${code(name)} ${escapeMarkdown(t.size)}${t.facts.length > 0 ? ` · ${escapeMarkdown(t.facts.join(' · '))}` : ''}`;
  });
  return [`**${say(BREAKDOWN_WORDS.largest, locale)}**`, ...rows].join('\n');
}

/** history lines and deep paths are cut to this many characters in a hover */
const MAX_NAME = 72;

/**
 * A base image's history line as a reader would name the layer: the shell prefix and BuildKit's
 * markers dropped, the root filesystem said as such (`ADD file:… in /`, `# debian.sh …`).
 */
export function readableHistory(createdBy: string, locale: Locale): string {
  const text = createdBy
    .replace(/^\/bin\/sh -c (#\(nop\) )?/, '')
    .replace(/^RUN \|\d+(?: \S+=\S*)* /, 'RUN ')
    .replace(/^(RUN|ADD|COPY) \/bin\/sh -c /, '$1 ')
    .replace(/ # buildkit$/, '')
    .trim();
  const rootfs = /^(?:ADD|COPY) (?:file|dir):[0-9a-f]+ in \/\s*$/.exec(text) ?? /^(?:RUN )?# (\S+)/.exec(text);
  if (rootfs) return `${rootfs[1] ? `${rootfs[1]}: ` : ''}${say(PHRASES.rootFilesystem, locale)}`;
  return text.replace(/\s+/g, ' ');
}

function sizeLine(size: SizeFigure, locale: Locale): string {
  const compressed = formatCompressed(size, locale);
  return `${say(PHRASES.size, locale)}: ${figureText(size, locale)}${compressed ? ` · ${compressed}` : ''}`;
}

/** A figure in words; what it does not know is named with words from the Dockerfile (image names, URLs), escaped. */
function figureText(size: SizeFigure, locale: Locale): string {
  const text = formatFigure(size, locale);
  return size.unknownParts?.length ? escapeMarkdown(text) : text;
}

/** On FROM: the base's size and layer count, and the stage's total. */
function baseLines(stage: Stage, locale: Locale): string[] {
  const sizes = stage.sizes;
  if (!sizes) return [];
  const lines = [`${say(PHRASES.baseSize, locale)}: ${figureText(sizes.base, locale)}${formatCompressed(sizes.base, locale) ? ` · ${formatCompressed(sizes.base, locale)}` : ''}`];
  const image = sizes.baseImage;
  if (image) lines.push(`*${escapeMarkdown(say(PHRASES.baseLayerSource, locale, { count: image.layers.length, s: image.layers.length === 1 ? '' : 's', key: image.key, date: image.date }))}*`);
  else lines.push(`*${escapeMarkdown(describeFigure(sizes.base, locale))}*`);
  lines.push(`${say(PHRASES.stageTotal, locale)}: ${figureText(sizes.total, locale)}`);
  return lines;
}

/** Text from the Dockerfile or data must not turn into markup or links. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!<>|~]/g, '\\$&');
}

const stageName = (stage: Stage) => describeStage(stage).replace(/'/g, '');
const code = (text: string) => `\`${text.replace(/`/g, '')}\``;
