import type { ImageReference } from '../types';

/**
 * Splits an image reference the way the Docker CLI does: the first path component is a registry
 * when it holds a dot or a colon or is `localhost`; Docker Hub names without a slash live under
 * `library/`.
 */
export function parseImageReference(raw: string, resolved: string): ImageReference {
  let rest = resolved.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const isHub = registry === undefined || registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io';
  let repository = rest;
  if (isHub && !repository.includes('/')) repository = `library/${repository}`;
  const shortName = isHub ? repository.replace(/^library\//, '') : `${registry}/${repository}`;
  const display = shortName + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
  return {
    raw,
    resolved,
    ...(isHub ? {} : { registry }),
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    display,
  };
}
