import * as vscode from 'vscode';
import { BuiltImagesRequest, LayersRequest, SetBuiltImageNotification, SHOW_LAYERS_COMMAND, type BuiltImageCandidate, type BuiltImageChoice } from '../../protocol/protocol';
import { mergeRecords, summarizeTrust, trustLines, validRecords } from '../../server/src/service/compare/trust';
import { toLocale } from '../../server/src/service/explain';
import type { DockerfileModel } from '../../server/src/service/types';
import type { Ctx } from './ctx';
import { activeDocumentInTrustedWorkspace } from './dockerfiles';

/**
 * "Compare with a Built Image…": the image each Dockerfile was last built into, remembered in the
 * workspace state (never in the user's files) and sent to the server, which then shows the built
 * sizes of the layers whose cache key did not change. How far each estimator was off is kept in
 * the extension's global state, on this machine only.
 */
const CHOICES_KEY = 'dockerlens.lastBuilds';
const TRUST_KEY = 'dockerlens.estimatorErrors';

type Choices = Record<string, BuiltImageChoice>;

function isChoice(value: unknown): value is BuiltImageChoice {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (v['kind'] === 'engine' && typeof v['reference'] === 'string') || (v['kind'] === 'path' && typeof v['path'] === 'string');
}

function choices(ctx: Ctx): Choices {
  const raw = ctx.extension.workspaceState.get<unknown>(CHOICES_KEY);
  const out: Choices = {};
  if (raw && typeof raw === 'object') for (const [uri, choice] of Object.entries(raw)) if (isChoice(choice)) out[uri] = choice;
  return out;
}

/** Sends every remembered choice to the server (at start, and when the server restarts). */
export async function sendRememberedBuilds(ctx: Ctx): Promise<void> {
  if (!ctx.client) return;
  for (const [uri, image] of Object.entries(choices(ctx))) await ctx.client.sendNotification(SetBuiltImageNotification.type, { uri, image });
}

/** Records how far the estimates of a compared build were off, once per image and layer. */
export async function recordEstimatorErrors(ctx: Ctx, model: DockerfileModel): Promise<void> {
  const last = model.lastBuild;
  if (!last || 'problem' in last || last.errors.length === 0) return;
  const stored = validRecords(ctx.extension.globalState.get<unknown>(TRUST_KEY));
  const merged = mergeRecords(stored, last);
  if (JSON.stringify(merged) !== JSON.stringify(stored)) await ctx.extension.globalState.update(TRUST_KEY, merged);
}

/** "apt estimates were off by median 3% (too low) over 5 builds", one line per estimator. */
export function estimatorTrust(ctx: Ctx): string[] {
  return trustLines(summarizeTrust(validRecords(ctx.extension.globalState.get<unknown>(TRUST_KEY))), toLocale(vscode.env.language));
}

interface Pick extends vscode.QuickPickItem {
  action: 'engine-image' | 'archive' | 'turn-on' | 'forget';
  reference?: string;
}

export async function compareWithImage(ctx: Ctx): Promise<void> {
  const active = activeDocumentInTrustedWorkspace(ctx, vscode.l10n.t('Comparing with a built image reads the local Docker engine or an image archive: trust this workspace first.'));
  if (!active) return;
  const { document, client } = active;
  const uri = document.uri.toString();
  const { images, problem } = await client.sendRequest(BuiltImagesRequest.type, { uri });
  const engineOff = vscode.workspace.getConfiguration('dockerlens', document.uri).get<boolean>('engine') !== true;
  const items: Pick[] = images.map((image) => ({ action: 'engine-image', reference: image.reference, label: image.reference, description: describeCandidate(image) }));
  if (engineOff) items.push({ action: 'turn-on', label: vscode.l10n.t('$(plug) Read images from the local Docker engine'), description: vscode.l10n.t('turns on the setting dockerlens.engine') });
  else if (problem) items.push({ action: 'turn-on', label: vscode.l10n.t('$(warning) No images from the engine'), description: problem });
  items.push({ action: 'archive', label: vscode.l10n.t('$(file-zip) A docker save archive or an OCI image layout…'), description: '' });
  if (choices(ctx)[uri]) items.push({ action: 'forget', label: vscode.l10n.t('$(close) Forget the last build of this Dockerfile'), description: '' });
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Compare this Dockerfile with which built image?') });
  if (!picked) return;
  let choice: BuiltImageChoice | null;
  if (picked.action === 'turn-on') {
    if (!engineOff) return;
    // user settings, never the workspace's files
    await vscode.workspace.getConfiguration('dockerlens').update('engine', true, vscode.ConfigurationTarget.Global);
    return compareWithImage(ctx);
  } else if (picked.action === 'archive') {
    const files = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: true, canSelectMany: false, openLabel: vscode.l10n.t('Compare'), title: vscode.l10n.t('A docker save archive (.tar) or an OCI image layout folder') });
    if (!files?.[0]) return;
    choice = { kind: 'path', path: files[0].fsPath };
  } else if (picked.action === 'forget') {
    choice = null;
  } else {
    choice = { kind: 'engine', reference: picked.reference! };
  }
  const all = choices(ctx);
  if (choice) all[uri] = choice;
  else delete all[uri];
  await ctx.extension.workspaceState.update(CHOICES_KEY, all);
  await client.sendNotification(SetBuiltImageNotification.type, { uri, image: choice });
  if (!choice) return;
  const result = await client.sendRequest(LayersRequest.type, { uri });
  const last = result?.model.lastBuild;
  if (!result || !last) return;
  if ('problem' in last) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Last build {0} not read: {1}', last.image, last.problem));
    return;
  }
  await recordEstimatorErrors(ctx, result.model);
  void vscode.window.showInformationMessage(vscode.l10n.t('Compared with {0}: {1} layer(s) with the exact built size, {2} estimated; {3} line(s) do not align.', last.image, last.exact, last.estimated, last.problems.length));
  await vscode.commands.executeCommand(SHOW_LAYERS_COMMAND, { uri });
}

function describeCandidate(image: BuiltImageCandidate): string {
  const when = new Date(image.created * 1000).toLocaleString();
  const fit = image.verdict === 'aligned'
    ? vscode.l10n.t('built from this file')
    : image.verdict === 'changed'
      ? vscode.l10n.t('built from an earlier version of this file')
      : image.verdict === 'unrelated' ? vscode.l10n.t('another file') : '';
  return [when, fit].filter(Boolean).join(' · ');
}
