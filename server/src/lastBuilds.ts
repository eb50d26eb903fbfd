import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BuiltImageCandidate, BuiltImageChoice } from '../../protocol/protocol';
import type { DockerlensSettings } from '../../protocol/settings';
import { align } from './service/compare/align';
import type { BuiltImage } from './service/compare/image';
import type { DockerfileModel } from './service/types';
import type { BuildContext } from './sizing';
import { localEngine, readBuiltImage, withLastBuild } from './images/lastBuild';
import type { Engine } from './images/engine';

/**
 * The language server's side of "compare with the last build": which built image each Dockerfile
 * is compared with (the client remembers the choice and sends it), the images read (once, until
 * the engine reports an image event or files change), and the model with the built figures.
 * Engine access only in a trusted workspace with `dockerlens.engine` on; archives only in a
 * trusted workspace. Every failure is one line on the model (`lastBuild.problem`), nothing else
 * changes.
 */
export interface LastBuildHooks {
  /** the images of these Dockerfiles changed: analyse them again */
  changed(uris: Set<string>): void;
  log(message: string): void;
}

const MAX_CANDIDATES = 30;

export class LastBuilds {
  private readonly choices = new Map<string, BuiltImageChoice>();
  private readonly images = new Map<string, Promise<BuiltImage>>();
  /** bumped whenever a read image may be stale: part of the model cache's key */
  private generation = 0;
  private engine: Engine | { problem: string } | undefined;
  private stopWatching: (() => void) | undefined;

  constructor(private readonly hooks: LastBuildHooks) {}

  set(uri: string, choice: BuiltImageChoice | null): void {
    if (choice) this.choices.set(uri, choice);
    else this.choices.delete(uri);
    this.forget();
  }

  /** What the model cache must key on: the choice and how fresh its image is. */
  key(uri: string): string {
    const choice = this.choices.get(uri);
    return choice ? `${JSON.stringify(choice)}#${this.generation}` : '';
  }

  /** A new choice, or the engine reported an image event: read engine images again. */
  forget(): void {
    this.images.clear();
    this.generation++;
  }

  dispose(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  /** The model with the last build's figures, or with one line saying why there are none. */
  async apply(model: DockerfileModel, uri: string, context: BuildContext | undefined, settings: DockerlensSettings, trusted: boolean): Promise<DockerfileModel> {
    const choice = this.choices.get(uri);
    if (!choice) return model;
    const name = choice.kind === 'engine' ? choice.reference : choice.path;
    const problem = this.refusal(choice, settings, trusted);
    if (problem) return { ...model, lastBuild: { image: name, problem } };
    const engine = choice.kind === 'engine' || settings.engine ? this.engineFor() : undefined;
    try {
      const image = await this.read(choice, engine);
      const dockerfile = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
      return (await withLastBuild(model, image, context, dockerfile, engine && !('problem' in engine) ? engine : undefined)).model;
    } catch (error) {
      const line = error instanceof Error ? error.message : String(error);
      return { ...model, lastBuild: { image: name, problem: line } };
    }
  }

  /** The engine's images for the picker, those whose history lines up with the model first. */
  async candidates(model: DockerfileModel | null, settings: DockerlensSettings, trusted: boolean): Promise<{ images: BuiltImageCandidate[]; problem?: string }> {
    if (!trusted) return { images: [], problem: 'Reading built images needs a trusted workspace.' };
    if (!settings.engine) return { images: [], problem: 'The local engine is not read: the setting dockerlens.engine is off.' };
    const engine = this.engineFor();
    if ('problem' in engine) return { images: [], problem: engine.problem };
    let listed;
    try {
      listed = await engine.images();
    } catch (error) {
      return { images: [], problem: error instanceof Error ? error.message : String(error) };
    }
    const tagged = listed.filter((i) => i.tags.length > 0).sort((a, b) => b.created - a.created).slice(0, MAX_CANDIDATES);
    const out: BuiltImageCandidate[] = [];
    for (const image of tagged) {
      let verdict: BuiltImageCandidate['verdict'] = null;
      if (model) {
        try {
          verdict = align(model, await engine.image(image.tags[0]!)).verdict;
        } catch {
          verdict = null;
        }
      }
      for (const reference of image.tags) out.push({ reference, id: image.id, created: image.created, verdict });
    }
    const rank = (c: BuiltImageCandidate) => (c.verdict === 'aligned' ? 0 : c.verdict === 'changed' ? 1 : 2);
    return { images: out.sort((a, b) => rank(a) - rank(b) || b.created - a.created) };
  }

  private refusal(choice: BuiltImageChoice, settings: DockerlensSettings, trusted: boolean): string | undefined {
    if (!trusted) return 'Reading built images needs a trusted workspace.';
    if (choice.kind === 'engine' && !settings.engine) return 'The local engine is not read: the setting dockerlens.engine is off.';
    return undefined;
  }

  private async read(choice: BuiltImageChoice, engine: Engine | { problem: string } | undefined): Promise<BuiltImage> {
    // an archive is read again when it is rewritten; an engine image when the engine reports an event
    const stamp = choice.kind === 'path' ? await stat(choice.path).then((s) => `${s.size}:${s.mtimeMs}`, () => 'missing') : '';
    const key = `${JSON.stringify(choice)}#${stamp}`;
    let image = this.images.get(key);
    if (!image) {
      image = readBuiltImage(choice.kind === 'engine' ? choice : { kind: 'path', path: choice.path }, engine);
      this.images.set(key, image);
      // a failed read is tried again next time, not remembered
      image.catch(() => this.images.get(key) === image && this.images.delete(key));
    }
    return image;
  }

  /** The local engine, followed through its image events so a new build is picked up. */
  private engineFor(): Engine | { problem: string } {
    if (this.engine && !('problem' in this.engine)) return this.engine;
    this.engine = localEngine();
    if (!('problem' in this.engine) && !this.stopWatching) {
      this.stopWatching = this.engine.watchImages(
        () => {
          this.forget();
          const engineUsers = new Set([...this.choices].filter(([, c]) => c.kind === 'engine').map(([uri]) => uri));
          if (engineUsers.size > 0) this.hooks.changed(engineUsers);
        },
        (reason) => {
          this.hooks.log(`engine events: ${reason}`);
          this.stopWatching = undefined;
          this.engine = undefined; // looked up again at the next use
        },
      );
    }
    return this.engine;
  }
}
