//@ts-check
// The layers panel's webview: draws the view model the extension sends (stages as groups, one row
// per layer, the Run and Ship sections) and reports clicks. Every text comes from the extension,
// already translated; every piece of it is inserted with textContent, never parsed as HTML.

/**
 * @typedef {import('../protocol/layersView').LayersView} LayersView
 * @typedef {import('../protocol/layersView').StageView} StageView
 * @typedef {import('../protocol/layersView').LayerRowView} LayerRowView
 * @typedef {import('../protocol/layersView').EdgeView} EdgeView
 * @typedef {import('../protocol/layersView').UiStrings} UiStrings
 * @typedef {import('../protocol/webviewMessages').ToWebview} ToWebview
 * @typedef {import('../protocol/imagesView').ImagesView} ImagesView
 * @typedef {import('../protocol/imagesView').ImageLayerView} ImageLayerView
 * @typedef {import('../protocol/webviewMessages').FromWebview} FromWebview
 *
 * @typedef {object} State what survives the webview being hidden or the window being reloaded
 * @property {string} [uri]
 * @property {number} [version]
 * @property {LayersView} [view]
 * @property {UiStrings} [strings]
 * @property {string} [empty] a message shown instead of a view
 * @property {string} [selected] id of the highlighted item (the row under the editor's cursor)
 * @property {string} [focused] id of the item that has (or last had) keyboard focus
 * @property {string[]} [expanded] rows whose details are open
 * @property {number[]} [collapsed] stages whose rows are hidden
 * @property {number} [scrollY]
 * @property {ImagesView} [images] the workspace's images side by side
 *
 * @typedef {object} VsCodeApi
 * @property {(message: FromWebview) => void} postMessage
 * @property {() => unknown} getState
 * @property {(state: State) => void} setState
 */

(function () {
  /** @type {VsCodeApi} */
  const vscode = /** @type {any} */ (globalThis).acquireVsCodeApi();

  // ---- checks on what arrives (mirrors protocol/webviewMessages.ts) ---------------------------

  /** @param {unknown} x @returns {x is Record<string, any>} */
  const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
  /** @param {unknown} x @returns {x is string} */
  const isString = (x) => typeof x === 'string';
  /** @param {unknown} x @returns {x is number} */
  const isLine = (x) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  /** @param {unknown} x @returns {x is number} */
  const isNumber = (x) => typeof x === 'number' && Number.isFinite(x);
  /** @param {Record<string, any>} x @param {string[]} keys */
  const hasStrings = (x, keys) => keys.every((k) => isString(x[k]));
  /** @param {unknown} x */
  const isStringArray = (x) => Array.isArray(x) && x.every(isString);

  const LOCALES = ['en', 'ko'];
  const ROLES = ['target', 'needed', 'unused'];
  const KINDS = ['base', 'stage', 'filesystem'];
  const SOURCES = ['exact', 'bundled', 'registry', 'engine', 'estimate', 'unknown'];
  const STACK_KINDS = ['container', 'layer', 'base', 'kernel'];
  const UI_KEYS = [
    'treeLabel', 'waiting', 'notAnalysed', 'failed', 'feeds', 'reads', 'noLayers', 'colLayer', 'colSize', 'colCompressed',
    'colSource', 'colInstruction', 'size', 'compressed', 'source', 'notes', 'cache', 'parts', 'line', 'wasted', 'lateCleanup',
    'showDetails', 'hideDetails', 'keyboardHelp', 'goToStage',
  ];

  /** @param {unknown} x */
  function isEdge(x) {
    return isObject(x) && hasStrings(x, ['kind', 'name', 'kindText']) && isLine(x.line) && (x.stage === undefined || isLine(x.stage));
  }

  /** @param {unknown} x */
  function isRow(x) {
    return isObject(x)
      && hasStrings(x, ['id', 'kindText', 'text', 'size', 'sizeFull', 'compressed', 'sourceText', 'detail', 'cache', 'cacheText', 'label'])
      && KINDS.includes(x.kind) && isLine(x.stage) && isLine(x.number) && isLine(x.line)
      && (x.bytes === null || isNumber(x.bytes))
      && isNumber(x.fraction) && x.fraction >= 0 && x.fraction <= 1
      && (x.source === null || isString(x.source))
      && Array.isArray(x.wasted) && x.wasted.every((/** @type {unknown} */ w) => isObject(w) && isString(w.text) && isNumber(w.bytes) && (w.role === 'written' || w.role === 'removes'))
      && isStringArray(x.notes)
      && Array.isArray(x.parts) && x.parts.every((/** @type {unknown} */ p) => isObject(p) && hasStrings(p, ['text', 'size']))
      && (x.built === undefined || (isObject(x.built) && hasStrings(x.built, ['badge', 'text'])));
  }

  /** @param {unknown} x */
  function isStage(x) {
    return isObject(x)
      && hasStrings(x, ['name', 'heading', 'base', 'roleText', 'ownLayers', 'total', 'totalFull'])
      && isLine(x.index) && isLine(x.line) && ROLES.includes(x.role)
      && Array.isArray(x.feeds) && x.feeds.every(isEdge)
      && Array.isArray(x.reads) && x.reads.every(isEdge)
      && Array.isArray(x.layers) && x.layers.every(isRow);
  }

  /** @param {unknown} x @returns {x is LayersView} */
  function isView(x) {
    return isObject(x)
      && LOCALES.includes(x.locale)
      && hasStrings(x, ['title', 'summary', 'cacheNote'])
      && (x.empty === undefined || isString(x.empty))
      && (x.lastBuild === undefined || isStringArray(x.lastBuild))
      && Array.isArray(x.stages) && x.stages.every(isStage)
      && (x.run === null || (isObject(x.run) && isString(x.run.heading) && isStringArray(x.run.points)
        && Array.isArray(x.run.stack) && x.run.stack.every((/** @type {unknown} */ e) => isObject(e) && hasStrings(e, ['kind', 'label', 'size']))))
      && (x.ship === null || (isObject(x.ship) && isString(x.ship.heading) && isStringArray(x.ship.points)
        && Array.isArray(x.ship.figures) && x.ship.figures.every((/** @type {unknown} */ f) => isObject(f) && hasStrings(f, ['label', 'value']))));
  }

  /** @param {unknown} x @returns {x is UiStrings} */
  const isStrings = (x) => isObject(x) && hasStrings(x, UI_KEYS);

  /** @param {unknown} x */
  function isImageLayer(x) {
    return isObject(x)
      && hasStrings(x, ['id', 'key', 'label', 'size', 'sharedText', 'aria'])
      && isStringArray(x.sharedWith)
      && (x.color === null || isLine(x.color));
  }

  /** @param {unknown} x @returns {x is ImagesView} */
  function isImagesView(x) {
    return isObject(x)
      && LOCALES.includes(x.locale)
      && hasStrings(x, ['heading', 'help'])
      && (x.empty === undefined || isString(x.empty))
      && isStringArray(x.summary) && isStringArray(x.notes)
      && Array.isArray(x.images) && x.images.every((/** @type {unknown} */ i) => isObject(i) && hasStrings(i, ['name', 'uri', 'total'])
        && Array.isArray(i.layers) && i.layers.every(isImageLayer));
  }

  /** @param {unknown} x @returns {x is ToWebview} */
  function isToWebview(x) {
    if (!isObject(x)) return false;
    switch (x.type) {
      case 'locale': return LOCALES.includes(x.locale) && isStrings(x.strings);
      case 'model': return isString(x.uri) && isLine(x.version) && isView(x.view);
      case 'select': return isString(x.uri) && isLine(x.stage) && (x.layer === null || isLine(x.layer));
      case 'empty': return isString(x.message);
      case 'images': return isImagesView(x.view);
      default: return false;
    }
  }

  /** @param {unknown} x */
  function describe(x) {
    if (x === null) return 'null';
    if (Array.isArray(x)) return `an array of ${x.length}`;
    if (typeof x !== 'object') return `a ${typeof x}`;
    const type = /** @type {Record<string, unknown>} */ (x).type;
    return isString(type) ? `a '${type.slice(0, 40)}' message of the wrong shape` : 'an object without a type';
  }

  /** @param {string} message */
  function log(message) {
    vscode.postMessage({ type: 'log', message });
  }

  // ---- state ------------------------------------------------------------------------------------

  /** @returns {State} */
  function restore() {
    const saved = vscode.getState();
    if (!isObject(saved)) return {};
    /** @type {State} */
    const state = {};
    if (isString(saved.uri)) state.uri = saved.uri;
    if (isLine(saved.version)) state.version = saved.version;
    if (isView(saved.view)) state.view = saved.view;
    if (isStrings(saved.strings)) state.strings = saved.strings;
    if (isString(saved.empty)) state.empty = saved.empty;
    if (isString(saved.selected)) state.selected = saved.selected;
    if (isString(saved.focused)) state.focused = saved.focused;
    if (isStringArray(saved.expanded)) state.expanded = saved.expanded;
    if (Array.isArray(saved.collapsed) && saved.collapsed.every(isLine)) state.collapsed = saved.collapsed;
    if (isNumber(saved.scrollY)) state.scrollY = saved.scrollY;
    if (isImagesView(saved.images)) state.images = saved.images;
    return state;
  }

  /** @type {State} */
  let state = restore();
  const save = () => vscode.setState(state);

  const app = /** @type {HTMLElement} */ (document.getElementById('app') ?? document.body.appendChild(document.createElement('main')));

  // ---- drawing ----------------------------------------------------------------------------------

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {string} [className]
   * @param {string} [text]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** @param {string} template @param {Record<string, string | number>} values */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  const stageId = (/** @type {number} */ index) => `stage-${index}`;
  const rowDomId = (/** @type {string} */ id) => `row-${id.replace(':', '-')}`;

  function render() {
    const strings = state.strings;
    // Focus is put back only where the panel has it: a model arriving while the user types in the
    // editor must not pull focus into the panel.
    const active = document.activeElement;
    const hadFocus = document.hasFocus() && active instanceof HTMLElement && app.contains(active) ? active.id : '';
    app.replaceChildren();
    if (!strings) return;
    if (!state.view) {
      app.append(el('p', 'empty', state.empty ?? strings.waiting));
      appendImages(hadFocus);
      return;
    }
    const view = state.view;
    const header = el('header', 'summary');
    header.append(el('h1', 'title', view.title));
    if (view.summary) header.append(el('p', 'image-total', view.summary));
    header.append(el('p', 'cache-note', view.cacheNote));
    if (view.lastBuild) {
      const list = el('ul', 'last-build');
      for (const line of view.lastBuild) list.append(el('li', '', line));
      header.append(list);
    }
    const help = el('p', 'help', strings.keyboardHelp);
    help.id = 'keyboard-help';
    header.append(help);
    app.append(header);
    if (view.empty) {
      app.append(el('p', 'empty', view.empty));
    } else {
      app.append(columnsHeader(strings), tree(view, strings));
    }
    if (view.run) app.append(runSection(view.run));
    if (view.ship) app.append(shipSection(view.ship));
    markSelected(false);
    rovingFocus(hadFocus);
    appendImages(hadFocus);
  }

  // ---- the workspace's images side by side ------------------------------------------------------

  const imageLayerId = (/** @type {string} */ id) => `image-layer-${id.replace(':', '-')}`;

  /** Appends the images section when there is one, giving focus back to a layer that had it. @param {string} hadFocus */
  function appendImages(hadFocus) {
    if (!state.images) return;
    app.append(imagesSection(state.images));
    const layers = imageLayers();
    if (layers.length === 0) return;
    const stop = layers.find((l) => l.id === hadFocus) ?? layers[0];
    if (!stop) return;
    setImageTabStop(stop);
    if (stop.id === hadFocus) stop.focus();
  }

  /** @param {ImagesView} view */
  function imagesSection(view) {
    const section = el('section', 'images');
    const heading = el('h2', '', view.heading);
    heading.id = 'images-heading';
    section.setAttribute('aria-labelledby', heading.id);
    section.append(heading);
    if (view.empty) {
      section.append(el('p', 'empty', view.empty));
    } else {
      const help = el('p', 'help', view.help);
      help.id = 'images-help';
      const grid = el('div', 'image-grid');
      view.images.forEach((image, i) => grid.append(imageColumn(image, i)));
      grid.addEventListener('keydown', onImagesKeyDown);
      grid.addEventListener('focusin', (event) => linkTwins(/** @type {HTMLElement} */ (event.target)));
      grid.addEventListener('focusout', () => linkTwins(null));
      grid.addEventListener('mouseover', (event) => linkTwins(/** @type {HTMLElement} */ (event.target)));
      grid.addEventListener('mouseleave', () => {
        const active = document.activeElement;
        linkTwins(active instanceof HTMLElement && grid.contains(active) ? active : null);
      });
      const summary = el('ul', 'images-summary');
      for (const line of view.summary) summary.append(el('li', '', line));
      section.append(help, grid, summary);
    }
    if (view.notes.length > 0) {
      const notes = el('ul', 'images-notes');
      for (const note of view.notes) notes.append(el('li', '', note));
      section.append(notes);
    }
    return section;
  }

  /** @param {ImagesView['images'][number]} image @param {number} index */
  function imageColumn(image, index) {
    const column = el('section', 'image-column');
    const name = el('h3', 'image-name', image.name);
    name.id = `image-name-${index}`;
    name.title = image.name;
    column.setAttribute('aria-labelledby', name.id);
    const list = el('ol', 'image-layers');
    list.setAttribute('aria-labelledby', name.id);
    list.setAttribute('aria-describedby', 'images-help');
    for (const layer of image.layers) list.append(imageLayer(layer));
    column.append(name, el('p', 'image-total', image.total), list);
    return column;
  }

  /** @param {ImageLayerView} layer */
  function imageLayer(layer) {
    const item = el('li', 'image-layer');
    item.id = imageLayerId(layer.id);
    item.tabIndex = -1;
    item.dataset.key = layer.key;
    item.setAttribute('aria-label', layer.aria);
    const top = el('div', 'image-layer-top');
    top.append(el('span', 'image-layer-label', layer.label), el('span', 'image-layer-size', layer.size));
    item.append(top);
    if (layer.color !== null) {
      item.classList.add('shared', `shared-${layer.color % 8}`);
      const shared = el('div', 'image-layer-shared');
      const icon = el('span', 'shared-icon', '⇄');
      icon.setAttribute('aria-hidden', 'true');
      shared.append(icon, el('span', '', ` ${layer.sharedText}`));
      item.append(shared);
    }
    return item;
  }

  /** @returns {HTMLElement[]} */
  function imageLayers() {
    return Array.from(app.querySelectorAll('.image-layer'));
  }

  /** @param {HTMLElement} item */
  function setImageTabStop(item) {
    for (const other of imageLayers()) other.tabIndex = other === item ? 0 : -1;
  }

  /** Highlights the layers with the same key as `target`'s layer (in the other images); none for null. @param {HTMLElement | null} target */
  function linkTwins(target) {
    const item = target ? target.closest('.image-layer') : null;
    const key = item instanceof HTMLElement && item.classList.contains('shared') ? item.dataset.key : undefined;
    for (const layer of imageLayers()) {
      layer.classList.toggle('twin', key !== undefined && layer !== item && layer.dataset.key === key);
      layer.classList.toggle('linked', key !== undefined && layer === item);
    }
  }

  /** Up/Down within an image, Left/Right to the same height in the next image, Home/End. @param {KeyboardEvent} event */
  function onImagesKeyDown(event) {
    const item = /** @type {HTMLElement} */ (event.target);
    if (!(item instanceof HTMLElement) || !item.classList.contains('image-layer')) return;
    const list = item.parentElement;
    const column = item.closest('.image-column');
    if (!list || !column) return;
    const inList = /** @type {HTMLElement[]} */ (Array.from(list.children));
    const at = inList.indexOf(item);
    const columns = /** @type {HTMLElement[]} */ (Array.from(app.querySelectorAll('.image-column')));
    const col = columns.indexOf(/** @type {HTMLElement} */ (column));
    /** @param {number} delta */
    const sideways = (delta) => {
      const other = columns[col + delta];
      if (!other) return undefined;
      const layers = /** @type {HTMLElement[]} */ (Array.from(other.querySelectorAll('.image-layer')));
      return layers[Math.min(at, layers.length - 1)];
    };
    /** @param {HTMLElement | undefined} next */
    const move = (next) => {
      if (!next) return;
      setImageTabStop(next);
      next.focus();
      if (typeof next.scrollIntoView === 'function') next.scrollIntoView({ block: 'nearest' });
    };
    switch (event.key) {
      case 'ArrowDown': move(inList[at + 1]); break;
      case 'ArrowUp': move(inList[at - 1]); break;
      case 'ArrowRight': move(sideways(1)); break;
      case 'ArrowLeft': move(sideways(-1)); break;
      case 'Home': move(inList[0]); break;
      case 'End': move(inList[inList.length - 1]); break;
      default: return;
    }
    event.preventDefault();
  }

  /** @param {UiStrings} strings */
  function columnsHeader(strings) {
    const row = el('div', 'columns');
    row.setAttribute('aria-hidden', 'true');
    row.append(
      el('span', 'col-layer', strings.colLayer),
      el('span', 'col-bar'),
      el('span', 'col-size', strings.colSize),
      el('span', 'col-compressed', strings.colCompressed),
      el('span', 'col-source', strings.colSource),
      el('span', 'col-instruction', strings.colInstruction),
    );
    return row;
  }

  /** @param {LayersView} view @param {UiStrings} strings */
  function tree(view, strings) {
    const root = el('div', 'tree');
    root.setAttribute('role', 'tree');
    root.setAttribute('aria-label', strings.treeLabel);
    root.setAttribute('aria-describedby', 'keyboard-help');
    const collapsed = new Set(state.collapsed ?? []);
    view.stages.forEach((stage, i) => {
      const open = !collapsed.has(stage.index);
      root.append(stageHeader(view, stage, strings, open, i, view.stages.length));
      if (!open) return;
      if (stage.layers.length === 0) {
        const none = el('div', 'no-layers', strings.noLayers);
        none.setAttribute('role', 'none');
        root.append(none);
      }
      stage.layers.forEach((layer, j) => {
        const row = layerRow(layer, strings, j, stage.layers.length);
        if (stage.role === 'unused') row.classList.add('stage-unused');
        root.append(row);
      });
    });
    root.addEventListener('keydown', onKeyDown);
    root.addEventListener('focusin', (event) => {
      const item = /** @type {HTMLElement} */ (event.target).closest('[role="treeitem"]');
      if (item instanceof HTMLElement) {
        state.focused = item.id;
        setTabStop(item);
        save();
      }
    });
    return root;
  }

  /**
   * @param {LayersView} view @param {StageView} stage @param {UiStrings} strings
   * @param {boolean} open @param {number} position @param {number} count
   */
  function stageHeader(view, stage, strings, open, position, count) {
    const item = el('div', `stage-header role-${stage.role}`);
    item.id = stageId(stage.index);
    item.tabIndex = -1;
    item.dataset.line = String(stage.line);
    item.dataset.stage = String(stage.index);
    item.setAttribute('role', 'treeitem');
    item.setAttribute('aria-level', '1');
    item.setAttribute('aria-posinset', String(position + 1));
    item.setAttribute('aria-setsize', String(count));
    item.setAttribute('aria-expanded', String(open));
    const title = el('div', 'stage-title');
    const twisty = el('span', 'twisty', open ? '▾' : '▸');
    twisty.setAttribute('aria-hidden', 'true');
    title.append(twisty, el('span', 'stage-heading', stage.heading), el('span', `role-badge role-${stage.role}`, stage.roleText));
    const facts = el('div', 'stage-facts');
    facts.append(el('span', 'stage-base', stage.base), el('span', 'stage-own', stage.ownLayers));
    if (stage.total) {
      const total = el('span', 'stage-total', stage.total);
      total.title = stage.totalFull;
      facts.append(total);
    }
    item.append(title, facts);
    const labelParts = [stage.heading, stage.roleText, stage.base, stage.ownLayers, stage.totalFull];
    if (stage.feeds.length > 0) {
      item.append(edges(view, strings.feeds, stage.feeds, strings));
      labelParts.push(`${strings.feeds} ${stage.feeds.map((e) => `${e.name} (${e.kindText})`).join(', ')}`);
    }
    if (stage.reads.length > 0) {
      item.append(edges(view, strings.reads, stage.reads, strings));
      labelParts.push(`${strings.reads} ${stage.reads.map((e) => `${e.name} (${e.kindText})`).join(', ')}`);
    }
    item.setAttribute('aria-label', labelParts.filter(Boolean).join(', '));
    item.addEventListener('click', (event) => {
      if (/** @type {HTMLElement} */ (event.target).closest('.edge-link')) return;
      if (/** @type {HTMLElement} */ (event.target).closest('.twisty')) {
        toggleStage(stage.index);
        return;
      }
      choose(item);
    });
    return item;
  }

  /** @param {LayersView} view @param {string} label @param {EdgeView[]} list @param {UiStrings} strings */
  function edges(view, label, list, strings) {
    const line = el('div', 'edges');
    line.append(el('span', 'edges-label', label));
    list.forEach((edge, i) => {
      if (i > 0) line.append(el('span', 'edge-sep', ' · '));
      const stage = edge.stage !== undefined ? view.stages.find((s) => s.index === edge.stage) : undefined;
      if (stage) {
        const link = el('button', 'edge-link', edge.name);
        link.type = 'button';
        link.tabIndex = -1;
        link.title = fill(strings.goToStage, { name: edge.name });
        link.setAttribute('aria-label', link.title);
        link.addEventListener('click', (event) => {
          event.stopPropagation();
          goToStage(stage.index);
        });
        line.append(link);
      } else {
        line.append(el('span', 'edge-image', edge.name));
      }
      line.append(el('span', 'edge-kind', ` (${edge.kindText})`));
    });
    return line;
  }

  /** @param {LayerRowView} layer @param {UiStrings} strings @param {number} position @param {number} count */
  function layerRow(layer, strings, position, count) {
    const expanded = (state.expanded ?? []).includes(layer.id);
    const item = el('div', `layer kind-${layer.kind}`);
    item.id = rowDomId(layer.id);
    item.tabIndex = -1;
    item.dataset.id = layer.id;
    item.dataset.line = String(layer.line);
    item.dataset.stage = String(layer.stage);
    item.dataset.layer = String(layer.number);
    item.dataset.cache = layer.cache;
    item.setAttribute('role', 'treeitem');
    item.setAttribute('aria-level', '2');
    item.setAttribute('aria-posinset', String(position + 1));
    item.setAttribute('aria-setsize', String(count));
    item.setAttribute('aria-expanded', String(expanded));
    item.setAttribute('aria-label', layer.label);
    if (layer.wasted.some((w) => w.role === 'written')) item.classList.add('has-waste');

    const line = el('div', 'row');
    const toggle = el('button', 'toggle', expanded ? '▾' : '▸');
    toggle.type = 'button';
    toggle.tabIndex = -1;
    toggle.setAttribute('aria-label', expanded ? strings.hideDetails : strings.showDetails);
    toggle.addEventListener('click', (event) => {
      event.stopPropagation();
      toggleDetails(layer.id);
    });
    const num = el('span', 'num', String(layer.number));
    const track = el('span', 'bar-track');
    const bar = el('span', `bar bar-${layer.kind === 'filesystem' ? 'own' : 'base'}`);
    if (layer.bytes === null) track.classList.add('bar-unknown');
    else if (layer.fraction > 0 && layer.fraction < 0.01) bar.classList.add('bar-tiny');
    bar.style.width = `${(layer.fraction * 100).toFixed(4)}%`;
    track.append(bar);
    track.setAttribute('aria-hidden', 'true');
    const size = el('span', 'size', layer.size);
    size.title = layer.sizeFull;
    const compressed = el('span', 'compressed', layer.compressed);
    const source = el('span', `source source-${SOURCES.includes(layer.source ?? '') ? layer.source : 'unknown'}`, layer.sourceText);
    source.title = layer.detail;
    const text = el('span', 'text');
    if (layer.kindText) text.append(el('span', 'kind-badge', layer.kindText), ' ');
    text.append(el('code', 'instruction', layer.text));
    line.append(toggle, num, track, size, compressed, source, text);
    for (const marker of layer.wasted) {
      const badge = el('span', `wasted-marker wasted-${marker.role}`, marker.role === 'written' ? strings.wasted : strings.lateCleanup);
      badge.title = marker.text;
      line.append(badge);
    }
    if (layer.built) {
      const badge = el('span', 'built-marker', layer.built.badge);
      badge.title = layer.built.text;
      line.append(badge);
    }
    item.append(line);
    if (expanded) item.append(details(layer, strings));
    item.addEventListener('click', (event) => {
      if (/** @type {HTMLElement} */ (event.target).closest('.details')) return;
      choose(item);
    });
    return item;
  }

  /**
   * A row's details: the size with its range and source, the notes, the wasted bytes, the cache
   * state, and a breakdown. Hook: richer breakdowns (what a RUN installs, the files a COPY brings)
   * arrive as more `parts` on the row, or as a new field drawn here.
   * @param {LayerRowView} layer @param {UiStrings} strings
   */
  function details(layer, strings) {
    const box = el('div', 'details');
    const facts = el('dl', 'facts');
    /** @param {string} term @param {string} value */
    const fact = (term, value) => {
      if (value) facts.append(el('dt', '', term), el('dd', '', value));
    };
    fact(strings.colInstruction, `${fill(strings.line, { line: layer.line + 1 })}: ${layer.text}`);
    fact(strings.size, layer.sizeFull);
    fact(strings.compressed, layer.compressed);
    fact(strings.source, layer.detail);
    fact(strings.cache, layer.cacheText);
    box.append(facts);
    // the sentence names itself ("Last build: …"): no term of its own
    if (layer.built) box.append(el('p', 'built-text', layer.built.text));
    if (layer.wasted.length > 0) {
      const list = el('ul', 'wasted-list');
      for (const marker of layer.wasted) list.append(el('li', `wasted-${marker.role}`, marker.text));
      box.append(list);
    }
    if (layer.notes.length > 0) {
      box.append(el('h3', '', strings.notes));
      const list = el('ul', 'notes');
      for (const note of layer.notes) list.append(el('li', '', note));
      box.append(list);
    }
    if (layer.parts.length > 0) {
      box.append(el('h3', '', strings.parts));
      const list = el('ul', 'parts');
      for (const part of layer.parts) {
        const li = el('li');
        li.append(el('span', 'part-size', part.size), el('code', 'part-text', part.text));
        list.append(li);
      }
      box.append(list);
    }
    return box;
  }

  /** @param {NonNullable<LayersView['run']>} run */
  function runSection(run) {
    const section = el('section', 'run');
    const heading = el('h2', '', run.heading);
    heading.id = 'run-heading';
    section.setAttribute('aria-labelledby', heading.id);
    const stack = el('ol', 'stack');
    for (const entry of run.stack) {
      const li = el('li', `stack-${STACK_KINDS.includes(entry.kind) ? entry.kind : 'layer'}`);
      li.append(el('span', 'stack-label', entry.label));
      if (entry.size) li.append(el('span', 'stack-size', entry.size));
      stack.append(li);
    }
    const points = el('ul', 'points');
    for (const point of run.points) points.append(el('li', '', point));
    section.append(heading, stack, points);
    return section;
  }

  /** @param {NonNullable<LayersView['ship']>} ship */
  function shipSection(ship) {
    const section = el('section', 'ship');
    const heading = el('h2', '', ship.heading);
    heading.id = 'ship-heading';
    section.setAttribute('aria-labelledby', heading.id);
    const figures = el('dl', 'figures');
    for (const figure of ship.figures) figures.append(el('dt', '', figure.label), el('dd', '', figure.value));
    const points = el('ul', 'points');
    for (const point of ship.points) points.append(el('li', '', point));
    section.append(heading, figures, points);
    return section;
  }

  // ---- selection, focus, keyboard ---------------------------------------------------------------

  /** @returns {HTMLElement[]} */
  function items() {
    return Array.from(app.querySelectorAll('[role="treeitem"]'));
  }

  /** @param {HTMLElement} item */
  function setTabStop(item) {
    for (const other of items()) other.tabIndex = other === item ? 0 : -1;
  }

  /** Gives the tree one tab stop: the focused item, else the selected one, else the first. @param {string} hadFocus */
  function rovingFocus(hadFocus) {
    const all = items();
    if (all.length === 0) return;
    const byId = (/** @type {string | undefined} */ id) => (id ? all.find((i) => i.id === id) : undefined);
    const stop = byId(hadFocus) ?? byId(state.focused) ?? byId(state.selected) ?? all[0];
    if (!stop) return;
    setTabStop(stop);
    if (hadFocus) stop.focus();
  }

  /** @param {boolean} scroll */
  function markSelected(scroll) {
    for (const item of items()) {
      const selected = item.id === state.selected;
      item.setAttribute('aria-selected', String(selected));
      item.classList.toggle('selected', selected);
      if (selected && scroll && typeof item.scrollIntoView === 'function') item.scrollIntoView({ block: 'nearest' });
    }
  }

  /** A click or Enter on an item: select it and ask the editor to show its line. @param {HTMLElement} item */
  function choose(item) {
    state.selected = item.id;
    state.focused = item.id;
    save();
    markSelected(false);
    setTabStop(item);
    item.focus();
    const line = Number(item.dataset.line);
    if (state.uri && isLine(line)) vscode.postMessage({ type: 'reveal', uri: state.uri, line });
  }

  /** @param {number} index */
  function goToStage(index) {
    const header = document.getElementById(stageId(index));
    if (!header) return;
    setTabStop(header);
    header.focus();
    if (typeof header.scrollIntoView === 'function') header.scrollIntoView({ block: 'start' });
  }

  /** @param {string} id */
  function toggleDetails(id) {
    const open = new Set(state.expanded ?? []);
    if (open.has(id)) open.delete(id);
    else open.add(id);
    state.expanded = [...open];
    state.focused = rowDomId(id);
    save();
    render();
    document.getElementById(rowDomId(id))?.focus();
  }

  /** @param {number} index */
  function toggleStage(index) {
    const closed = new Set(state.collapsed ?? []);
    if (closed.has(index)) closed.delete(index);
    else closed.add(index);
    state.collapsed = [...closed];
    state.focused = stageId(index);
    save();
    render();
    document.getElementById(stageId(index))?.focus();
  }

  /** @param {KeyboardEvent} event */
  function onKeyDown(event) {
    const item = /** @type {HTMLElement} */ (event.target);
    if (!(item instanceof HTMLElement) || item.getAttribute('role') !== 'treeitem') return;
    const all = items();
    const at = all.indexOf(item);
    const isStageItem = item.classList.contains('stage-header');
    /** @param {HTMLElement | undefined} next */
    const move = (next) => {
      if (!next) return;
      setTabStop(next);
      next.focus();
      if (typeof next.scrollIntoView === 'function') next.scrollIntoView({ block: 'nearest' });
    };
    switch (event.key) {
      case 'ArrowDown': move(all[at + 1]); break;
      case 'ArrowUp': move(all[at - 1]); break;
      case 'Home': move(all[0]); break;
      case 'End': move(all[all.length - 1]); break;
      case 'Enter': choose(item); break;
      case ' ':
        if (isStageItem) toggleStage(Number(item.dataset.stage));
        else if (item.dataset.id) toggleDetails(item.dataset.id);
        break;
      case 'ArrowRight':
        if (isStageItem) {
          if (item.getAttribute('aria-expanded') === 'false') toggleStage(Number(item.dataset.stage));
          else if (all[at + 1] && !all[at + 1]?.classList.contains('stage-header')) move(all[at + 1]);
        } else if (item.dataset.id && item.getAttribute('aria-expanded') === 'false') {
          toggleDetails(item.dataset.id);
        }
        break;
      case 'ArrowLeft':
        if (isStageItem) {
          if (item.getAttribute('aria-expanded') === 'true') toggleStage(Number(item.dataset.stage));
        } else if (item.dataset.id && item.getAttribute('aria-expanded') === 'true') {
          toggleDetails(item.dataset.id);
        } else {
          move(document.getElementById(stageId(Number(item.dataset.stage))) ?? undefined);
        }
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  // ---- messages ---------------------------------------------------------------------------------

  /** @param {ToWebview} message */
  function handle(message) {
    switch (message.type) {
      case 'locale':
        state.strings = message.strings;
        document.documentElement.lang = message.locale;
        save();
        render();
        return;
      case 'model': {
        // The extension drops answers to older requests; versions restart when a file is reopened.
        const sameFile = state.uri === message.uri;
        state.uri = message.uri;
        state.version = message.version;
        state.view = message.view;
        delete state.empty;
        if (!sameFile) {
          delete state.selected;
          delete state.focused;
          state.expanded = [];
          state.collapsed = [];
        }
        save();
        render();
        return;
      }
      case 'select': {
        if (message.uri !== state.uri) return;
        const id = message.layer === null ? stageId(message.stage) : rowDomId(`${message.stage}:${message.layer}`);
        state.selected = document.getElementById(id) ? id : stageId(message.stage);
        save();
        markSelected(true);
        return;
      }
      case 'images':
        state.images = message.view;
        save();
        render();
        return;
      case 'empty':
        delete state.view;
        delete state.version;
        state.empty = message.message;
        save();
        render();
        return;
    }
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!isToWebview(message)) {
      log(`ignored ${describe(message)}`);
      return;
    }
    try {
      handle(message);
    } catch (error) {
      log(`failed to show a '${message.type}' message: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  let scrollPending = false;
  window.addEventListener('scroll', () => {
    if (scrollPending) return;
    scrollPending = true;
    setTimeout(() => {
      scrollPending = false;
      state.scrollY = window.scrollY;
      save();
    }, 150);
  });

  render();
  if (state.scrollY) window.scrollTo(0, state.scrollY);
  vscode.postMessage({ type: 'ready' });
})();
