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
 * @typedef {import('../protocol/layersView').BreakdownView} BreakdownView
 * @typedef {import('../protocol/layersView').BreakdownEntryView} BreakdownEntryView
 * @typedef {import('../protocol/layersView').BreakdownMoreView} BreakdownMoreView
 * @typedef {import('../protocol/layersView').BreakdownPageView} BreakdownPageView
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
 * @property {boolean} [explainersOpen] the Run and Ship explainers are unfolded
 * @property {Record<string, ContentsUi>} [contents] per layer id: how its contents are shown
 * @property {Record<string, BreakdownPageView>} [pages] folders listed on demand, by `pageKey`
 *
 * @typedef {object} ContentsUi how one layer's contents are shown
 * @property {'size' | 'name'} sort
 * @property {string} filter
 * @property {string[]} open paths of the open folders
 * @property {string} [focused] DOM id of the row with the tab stop
 *
 * @typedef {object} VsCodeApi
 * @property {(message: FromWebview) => void} postMessage
 * @property {() => unknown} getState
 * @property {(state: State) => void} setState
 */

(function () {
  /** @type {VsCodeApi} */
  const vscode = /** @type {any} */ (globalThis).acquireVsCodeApi();

  // ---- checks on what arrives: protocol/webviewMessages.ts itself, which esbuild.js bundles into
  // the DockerlensMessages global that the panel loads before this script ------------------------

  /** @type {typeof import('../protocol/webviewMessages')} */
  const checks = /** @type {any} */ (globalThis).DockerlensMessages;
  const { isObject, isString, isLine, isNumber, isStringArray, isLayersView, isUiStrings, isImagesView, isBreakdownPage } = checks;
  const { isToWebview, describeMessage, SOURCES, ENTRY_KINDS, FLAGS } = checks;

  const STACK_KINDS = ['container', 'layer', 'base', 'kernel'];
  /** @type {unknown[]} */
  const SORTS = ['size', 'name'];
  /** entries asked for at a time (protocol/breakdownView.ts BREAKDOWN_PAGE) */
  const PAGE = 100;

  /** @param {unknown} x @returns {x is ContentsUi} */
  const isContentsUi = (x) => isObject(x) && SORTS.includes(x.sort) && isString(x.filter) && isStringArray(x.open)
    && (x.focused === undefined || isString(x.focused));

  /** @param {unknown} x @param {(v: unknown) => boolean} check */
  const isRecordOf = (x, check) => isObject(x) && Object.values(x).every(check);

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
    if (isLayersView(saved.view)) state.view = saved.view;
    if (isUiStrings(saved.strings)) state.strings = saved.strings;
    if (isString(saved.empty)) state.empty = saved.empty;
    if (isString(saved.selected)) state.selected = saved.selected;
    if (isString(saved.focused)) state.focused = saved.focused;
    if (isStringArray(saved.expanded)) state.expanded = saved.expanded;
    if (Array.isArray(saved.collapsed) && saved.collapsed.every(isLine)) state.collapsed = saved.collapsed;
    if (isNumber(saved.scrollY)) state.scrollY = saved.scrollY;
    if (typeof saved.explainersOpen === 'boolean') state.explainersOpen = saved.explainersOpen;
    if (isImagesView(saved.images)) state.images = saved.images;
    if (isRecordOf(saved.contents, isContentsUi)) state.contents = /** @type {Record<string, ContentsUi>} */ (saved.contents);
    if (isRecordOf(saved.pages, isBreakdownPage)) state.pages = /** @type {Record<string, BreakdownPageView>} */ (saved.pages);
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
    const caret = active instanceof HTMLInputElement ? active.selectionStart : null;
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
    // Focus inside a layer's contents (a row, the filter box) goes back where it was.
    const inside = hadFocus ? document.getElementById(hadFocus) : null;
    const restored = inside !== null && !isMainItem(inside);
    rovingFocus(restored ? '' : hadFocus);
    if (inside && restored) {
      inside.focus();
      if (inside instanceof HTMLInputElement && caret !== null) inside.setSelectionRange(caret, caret);
    }
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
      const item = /** @type {HTMLElement} */ (event.target).closest('.stage-header, .layer');
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
    // a part not known: the bar shows only the known bytes, on a dashed track
    if (layer.bytes === null || layer.source === 'partial') track.classList.add('bar-unknown');
    if (layer.bytes !== null && layer.fraction > 0 && layer.fraction < 0.01) bar.classList.add('bar-tiny');
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
    // Badges share one cell: beside the instruction when the panel is wide, wrapping under it
    // when it is narrow.
    const tags = el('span', 'tags');
    if (layer.cache === 'reused' || layer.cache === 'rebuilt') {
      const badge = el('span', `cache-marker cache-${layer.cache}`, layer.cache === 'reused' ? strings.cacheReusedBadge : strings.cacheRebuiltBadge);
      badge.title = layer.cacheText;
      tags.append(badge);
    }
    for (const marker of layer.wasted) {
      const badge = el('span', `wasted-marker wasted-${marker.role}`, marker.role === 'written' ? strings.wasted : marker.role === 'overwrites' ? strings.overwrites : strings.lateCleanup);
      badge.title = marker.text;
      tags.append(badge);
    }
    if (layer.built) {
      const badge = el('span', 'built-marker', layer.built.badge);
      badge.title = layer.built.text;
      tags.append(badge);
    }
    line.append(toggle, num, track, size, compressed, source, text, tags);
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
    if (layer.breakdown) box.append(contentsSection(layer, layer.breakdown, strings));
    return box;
  }

  // ---- a layer's contents: what it is made of, as a tree of its own -----------------------------
  //
  // Rows are flat siblings with aria-level, like the main tree; folders the model left unlisted are
  // asked for (`listBreakdown`) when opened, and a "more" row asks for the next page. Sorting and
  // filtering happen here, on what is listed.

  const domPart = (/** @type {string} */ id) => id.replace(':', '-');
  const pageKey = (/** @type {string} */ layerId, /** @type {string} */ path) => `${layerId}\n${path}`;
  // encodeURIComponent never leaves a '/', so ids made of paths cannot run into the 'more' ones.
  const contentsRowId = (/** @type {string} */ layerId, /** @type {string} */ path) => `contents-${domPart(layerId)}/${encodeURIComponent(path)}`;
  const contentsMoreId = (/** @type {string} */ layerId, /** @type {string} */ path) => `contents-${domPart(layerId)}/more/${encodeURIComponent(path)}`;

  /** requests in flight, by page key: only the answer to the latest one is drawn */
  /** @type {Map<string, number>} */
  const pending = new Map();
  let lastRequest = 0;

  /** @param {string} layerId @returns {ContentsUi} */
  function contentsUi(layerId) {
    const all = (state.contents ??= {});
    return (all[layerId] ??= { sort: 'size', filter: '', open: [] });
  }

  /** @param {string} id @returns {LayerRowView | undefined} */
  function rowById(id) {
    for (const stage of state.view?.stages ?? []) {
      const row = stage.layers.find((l) => l.id === id);
      if (row) return row;
    }
    return undefined;
  }

  /** Asks the extension for one folder of a layer's contents. @param {LayerRowView} layer @param {string} path @param {number} limit */
  function listFolder(layer, path, limit) {
    if (!state.uri) return;
    const request = ++lastRequest;
    pending.set(pageKey(layer.id, path), request);
    vscode.postMessage({ type: 'listBreakdown', uri: state.uri, request, stage: layer.stage, layer: layer.number, path, limit });
  }

  /**
   * Asks again for every folder listed on demand (a new model may have changed them), and for open
   * folders not listed yet (a revived panel).
   */
  function refreshPages() {
    const pages = state.pages ?? {};
    for (const key of Object.keys(pages)) {
      const cut = key.indexOf('\n');
      const layer = rowById(key.slice(0, cut));
      const page = pages[key];
      if (!layer || !layer.breakdown || !page) {
        delete pages[key];
        continue;
      }
      listFolder(layer, key.slice(cut + 1), Math.max(PAGE, 'entries' in page ? page.entries.length : 0));
    }
    for (const [id, ui] of Object.entries(state.contents ?? {})) {
      const layer = rowById(id);
      if (!layer || !layer.breakdown) continue;
      for (const path of ui.open) {
        const entry = findEntry(layer, layer.breakdown, path);
        if (entry && entry.lazy && listedIn(layer, layer.breakdown, entry).entries === null && !pending.has(pageKey(id, path))) listFolder(layer, path, PAGE);
      }
    }
  }

  /**
   * What a folder (or the top, `entry` undefined) lists now: a page listed on demand replaces what
   * came with the model.
   * @param {LayerRowView} layer @param {BreakdownView} breakdown @param {BreakdownEntryView | undefined} entry
   * @returns {{ entries: BreakdownEntryView[] | null, more: BreakdownMoreView | null, failed: string, listing: boolean }}
   */
  function listedIn(layer, breakdown, entry) {
    const key = pageKey(layer.id, entry ? entry.path : '');
    const page = state.pages?.[key];
    const listing = pending.has(key);
    if (page && 'failed' in page) return { entries: entry ? entry.children : breakdown.entries, more: null, failed: page.failed, listing };
    if (page) return { entries: page.entries, more: page.more, failed: '', listing };
    return entry
      ? { entries: entry.children, more: entry.more, failed: '', listing }
      : { entries: breakdown.entries, more: breakdown.more, failed: '', listing };
  }

  /** @param {BreakdownEntryView} entry @param {ReturnType<typeof listedIn>} listed */
  const isFolder = (entry, listed) => (listed.entries?.length ?? 0) > 0 || listed.more !== null || entry.lazy;

  /** @param {LayerRowView} layer @param {BreakdownView} breakdown @param {UiStrings} strings */
  function contentsSection(layer, breakdown, strings) {
    const ui = contentsUi(layer.id);
    const dom = domPart(layer.id);
    const section = el('section', 'contents');
    section.dataset.id = layer.id;
    const heading = el('h3', '', breakdown.heading);
    heading.id = `contents-heading-${dom}`;
    section.setAttribute('aria-labelledby', heading.id);
    section.append(heading);
    const tree = el('div', 'contents-tree');
    tree.id = `contents-tree-${dom}`;
    tree.setAttribute('role', 'tree');
    tree.setAttribute('aria-label', breakdown.label);
    const help = el('p', 'help contents-help', strings.contentsHelp);
    help.id = `contents-help-${dom}`;
    tree.setAttribute('aria-describedby', help.id);
    const status = el('p', 'contents-status');
    status.id = `contents-status-${dom}`;
    status.setAttribute('aria-live', 'polite');
    const many = breakdown.entries.length > 1 || breakdown.more !== null || breakdown.entries.some((e) => e.lazy);
    if (many) section.append(contentsToolbar(layer, ui, tree.id, strings));
    section.append(help, status, tree);
    fillContents(tree, status, layer, breakdown, strings);
    tree.addEventListener('keydown', (event) => onContentsKeyDown(event, layer, breakdown));
    tree.addEventListener('focusin', (event) => {
      const row = /** @type {HTMLElement} */ (event.target).closest('.contents-row');
      if (!(row instanceof HTMLElement)) return;
      ui.focused = row.id;
      setContentsTabStop(tree, row);
      save();
    });
    tree.addEventListener('click', (event) => {
      const row = /** @type {HTMLElement} */ (event.target).closest('.contents-row');
      if (!(row instanceof HTMLElement)) return;
      if (row.dataset.more) listMore(layer, breakdown, row.dataset.path ?? '');
      else if (/** @type {HTMLElement} */ (event.target).closest('.twisty') && row.hasAttribute('aria-expanded')) toggleFolder(layer, breakdown, row.dataset.path ?? '', row.id);
      else if (!row.classList.contains('contents-extra')) chooseEntry(tree, row, layer, breakdown);
    });
    if (breakdown.withoutRecommends) section.append(el('p', 'contents-recommends', breakdown.withoutRecommends));
    if (breakdown.removed.length > 0) {
      section.append(el('h4', '', breakdown.removedHeading));
      const list = el('ul', 'contents-removed');
      for (const entry of breakdown.removed) {
        const li = el('li');
        const size = el('span', 'part-size', entry.size);
        size.title = entry.sizeFull;
        const name = el('bdi', 'contents-name', entry.name);
        name.title = entry.name;
        li.append(size, name);
        for (const flag of entry.flags) li.append(' ', flagBadge(flag, entry.note));
        li.setAttribute('aria-label', entry.label);
        list.append(li);
      }
      section.append(list);
    }
    return section;
  }

  /** The filter box and the sort buttons. @param {LayerRowView} layer @param {ContentsUi} ui @param {string} treeId @param {UiStrings} strings */
  function contentsToolbar(layer, ui, treeId, strings) {
    const bar = el('div', 'contents-toolbar');
    const filter = el('input', 'contents-filter');
    filter.type = 'search';
    filter.id = `contents-filter-${domPart(layer.id)}`;
    filter.placeholder = strings.filterPlaceholder;
    filter.setAttribute('aria-label', strings.filterPlaceholder);
    filter.setAttribute('aria-controls', treeId);
    filter.value = ui.filter;
    filter.addEventListener('input', () => {
      ui.filter = filter.value;
      save();
      redrawContents(layer.id);
    });
    filter.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') {
        const stop = document.getElementById(treeId)?.querySelector('.contents-row[tabindex="0"]');
        if (stop instanceof HTMLElement) stop.focus();
        event.preventDefault();
      } else if (event.key === 'Escape' && filter.value) {
        filter.value = '';
        ui.filter = '';
        save();
        redrawContents(layer.id);
        event.preventDefault();
      }
    });
    const sort = el('span', 'contents-sort');
    sort.setAttribute('role', 'group');
    sort.setAttribute('aria-label', strings.sortBy);
    const label = el('span', 'contents-sort-label', strings.sortBy);
    label.setAttribute('aria-hidden', 'true');
    sort.append(label);
    for (const [key, text] of /** @type {const} */ ([['size', strings.sortSize], ['name', strings.sortName]])) {
      const button = el('button', 'contents-sort-button', text);
      button.type = 'button';
      button.dataset.sort = key;
      button.setAttribute('aria-pressed', String(ui.sort === key));
      button.addEventListener('click', () => {
        ui.sort = key;
        save();
        for (const other of sort.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === button));
        redrawContents(layer.id);
      });
      sort.append(button);
    }
    bar.append(filter, sort);
    return bar;
  }

  /** Draws one layer's contents again (sort, filter, a folder opened or listed), keeping focus in it. @param {string} layerId */
  function redrawContents(layerId) {
    const layer = rowById(layerId);
    const tree = document.getElementById(`contents-tree-${domPart(layerId)}`);
    const status = document.getElementById(`contents-status-${domPart(layerId)}`);
    if (!layer || !layer.breakdown || !tree || !status || !state.strings) return;
    const active = document.activeElement;
    const hadFocus = active instanceof HTMLElement && tree.contains(active);
    fillContents(tree, status, layer, layer.breakdown, state.strings);
    if (!hadFocus) return;
    const stop = tree.querySelector('.contents-row[tabindex="0"]');
    if (stop instanceof HTMLElement) stop.focus();
  }

  /**
   * The rows of one layer's contents, in order: sorted at every level, filtered by name (a folder
   * stays when something listed inside it matches, and opens to show it).
   * @param {HTMLElement} tree @param {HTMLElement} status @param {LayerRowView} layer @param {BreakdownView} breakdown @param {UiStrings} strings
   */
  function fillContents(tree, status, layer, breakdown, strings) {
    const ui = contentsUi(layer.id);
    const open = new Set(ui.open);
    const needle = ui.filter.trim().toLowerCase();
    const collator = new Intl.Collator(document.documentElement.lang || 'en', { numeric: true, sensitivity: 'base' });
    /** @param {BreakdownEntryView} a @param {BreakdownEntryView} b */
    const bySize = (a, b) => (b.bytes ?? -1) - (a.bytes ?? -1) || collator.compare(a.name, b.name);
    /** @param {BreakdownEntryView} a @param {BreakdownEntryView} b */
    const byName = (a, b) => collator.compare(a.name, b.name) || bySize(a, b);
    const compare = ui.sort === 'name' ? byName : bySize;
    const matches = (/** @type {BreakdownEntryView} */ entry) => entry.name.toLowerCase().includes(needle);
    /** @type {Map<BreakdownEntryView, boolean>} */
    const inside = new Map();
    /** Something listed below `entry` matches. @param {BreakdownEntryView} entry @returns {boolean} */
    const matchBelow = (entry) => {
      let found = inside.get(entry);
      if (found === undefined) {
        found = (listedIn(layer, breakdown, entry).entries ?? []).some((child) => matches(child) || matchBelow(child));
        inside.set(entry, found);
      }
      return found;
    };
    /** @type {HTMLElement[]} */
    const rows = [];
    const taken = new Set();
    /** @param {string} id */
    const unique = (id) => {
      let free = id;
      for (let n = 2; taken.has(free); n++) free = `${id}#${n}`;
      taken.add(free);
      return free;
    };
    /**
     * @param {ReturnType<typeof listedIn>} listed @param {string} parent @param {number} level @param {boolean} shownWhole
     */
    const walk = (listed, parent, level, shownWhole) => {
      const shown = (listed.entries ?? []).filter((e) => !needle || shownWhole || matches(e) || matchBelow(e)).sort(compare);
      const extra = listed.listing || listed.failed || listed.more ? 1 : 0;
      shown.forEach((entry, i) => {
        const hit = needle !== '' && matches(entry);
        const below = listedIn(layer, breakdown, entry);
        const folder = isFolder(entry, below);
        const isOpen = folder && (open.has(entry.path) || (needle !== '' && !shownWhole && !hit && matchBelow(entry)));
        const row = contentsRow(entry, level, i + 1, shown.length + extra, folder ? isOpen : null, hit);
        row.id = unique(contentsRowId(layer.id, entry.path));
        rows.push(row);
        if (isOpen) walk(below, entry.path, level + 1, shownWhole || hit);
      });
      if (extra) {
        const text = listed.listing ? strings.listing : listed.failed || (listed.more ? listed.more.text : '');
        const row = noteRow(text, level, shown.length + 1, shown.length + extra, !listed.listing && !listed.failed);
        row.id = unique(contentsMoreId(layer.id, parent));
        row.dataset.path = parent;
        if (row.dataset.more) row.title = strings.listMore;
        rows.push(row);
      }
    };
    const top = listedIn(layer, breakdown, undefined);
    walk(top, '', 1, false);
    tree.replaceChildren(...rows);
    const stop = rows.find((r) => r.id === ui.focused) ?? rows[0];
    if (stop) setContentsTabStop(tree, stop);
    status.textContent = needle ? filterStatus(layer, breakdown, top, matches, strings) : '';
  }

  /**
   * `3 of 42 listed entries match`, counting every listed entry (open folders or not), and saying
   * so when some folders are not listed yet.
   * @param {LayerRowView} layer @param {BreakdownView} breakdown @param {ReturnType<typeof listedIn>} top
   * @param {(entry: BreakdownEntryView) => boolean} matches @param {UiStrings} strings
   */
  function filterStatus(layer, breakdown, top, matches, strings) {
    let total = 0;
    let found = 0;
    let unlisted = false;
    /** @param {ReturnType<typeof listedIn>} listed */
    const count = (listed) => {
      if (listed.more) unlisted = true;
      for (const entry of listed.entries ?? []) {
        total++;
        if (matches(entry)) found++;
        const below = listedIn(layer, breakdown, entry);
        if (entry.lazy && below.entries === null) unlisted = true;
        count(below);
      }
    };
    count(top);
    const text = found > 0 ? fill(strings.filterMatches, { shown: found, total }) : strings.filterNone;
    return unlisted ? `${text} ${strings.filterUnlisted}` : text;
  }

  /**
   * @param {BreakdownEntryView} entry @param {number} level @param {number} position @param {number} count
   * @param {boolean | null} open null: not a folder @param {boolean} hit the filter matches its name
   */
  function contentsRow(entry, level, position, count, open, hit) {
    const row = el('div', `contents-row kind-${ENTRY_KINDS.includes(entry.kind) ? entry.kind : 'other'}`);
    row.tabIndex = -1;
    row.dataset.path = entry.path;
    row.dataset.line = String(entry.at.line);
    row.setAttribute('role', 'treeitem');
    row.setAttribute('aria-level', String(level));
    row.setAttribute('aria-posinset', String(position));
    row.setAttribute('aria-setsize', String(count));
    row.setAttribute('aria-label', entry.label);
    if (open !== null) row.setAttribute('aria-expanded', String(open));
    if (hit) row.classList.add('match');
    for (const flag of entry.flags) row.classList.add(`flagged-${FLAGS.includes(flag.flag) ? flag.flag : 'other'}`);
    const track = el('span', 'bar-track');
    const bar = el('span', 'bar bar-own');
    if (entry.bytes === null) track.classList.add('bar-unknown');
    else if (entry.fraction > 0 && entry.fraction < 0.01) bar.classList.add('bar-tiny');
    bar.style.width = `${(entry.fraction * 100).toFixed(4)}%`;
    track.append(bar);
    track.setAttribute('aria-hidden', 'true');
    const size = el('span', 'size', entry.size);
    size.title = entry.share ? `${entry.sizeFull}, ${entry.share}` : entry.sizeFull;
    const source = el('span', `source source-${SOURCES.includes(entry.source) ? entry.source : 'unknown'}`, entry.sourceText);
    const cell = el('span', 'contents-cell');
    cell.style.paddingLeft = `${(level - 1) * 1.2}em`;
    const twisty = el('span', 'twisty', open === null ? '' : open ? '▾' : '▸');
    twisty.setAttribute('aria-hidden', 'true');
    const name = el('bdi', 'contents-name', entry.name);
    name.title = entry.name;
    cell.append(twisty, name);
    if (entry.kind !== 'file' && entry.kind !== 'folder') cell.append(el('span', 'kind-badge', entry.kindText));
    if (entry.roleText) cell.append(el('span', 'role-text', entry.roleText));
    for (const flag of entry.flags) cell.append(flagBadge(flag, entry.note));
    if (entry.filesText) cell.append(el('span', 'contents-files', entry.filesText));
    if (entry.note && entry.flags.length === 0) cell.append(el('span', 'contents-note-text', entry.note));
    row.append(track, size, source, cell);
    return row;
  }

  /** @param {{ flag: string, text: string }} flag @param {string} note */
  function flagBadge(flag, note) {
    const badge = el('span', `flag flag-${FLAGS.includes(flag.flag) ? flag.flag : 'other'}`, flag.text);
    if (note) badge.title = note;
    return badge;
  }

  /** A row that is not an entry: "Listing…", why a folder is not listed, or the rest still to list. @param {string} text @param {number} level @param {number} position @param {number} count @param {boolean} more */
  function noteRow(text, level, position, count, more) {
    const row = el('div', `contents-row contents-extra${more ? ' contents-more' : ''}`);
    row.tabIndex = -1;
    row.setAttribute('role', 'treeitem');
    row.setAttribute('aria-level', String(level));
    row.setAttribute('aria-posinset', String(position));
    row.setAttribute('aria-setsize', String(count));
    if (more) row.dataset.more = '1';
    const cell = el('span', 'contents-cell');
    cell.style.paddingLeft = `${(level - 1) * 1.2}em`;
    cell.append(el('span', 'twisty'), el('span', 'contents-extra-text', text));
    row.append(el('span'), el('span'), el('span'), cell);
    return row;
  }

  /** @param {HTMLElement} tree @param {HTMLElement} row */
  function setContentsTabStop(tree, row) {
    for (const other of tree.querySelectorAll('.contents-row')) /** @type {HTMLElement} */ (other).tabIndex = other === row ? 0 : -1;
  }

  /**
   * The entry's instruction in the editor, at the word that brings it in when there is one.
   * @param {HTMLElement} tree @param {HTMLElement} row @param {LayerRowView} layer @param {BreakdownView} breakdown
   */
  function chooseEntry(tree, row, layer, breakdown) {
    setContentsTabStop(tree, row);
    row.focus();
    const entry = findEntry(layer, breakdown, row.dataset.path ?? '');
    if (!state.uri || !entry) return;
    const { line, span } = entry.at;
    vscode.postMessage(span ? { type: 'reveal', uri: state.uri, line, start: span.start, end: span.end } : { type: 'reveal', uri: state.uri, line });
  }

  /** @param {LayerRowView} layer @param {BreakdownView} breakdown @param {string} path @returns {BreakdownEntryView | undefined} */
  function findEntry(layer, breakdown, path) {
    /** @param {BreakdownEntryView[] | null} list @returns {BreakdownEntryView | undefined} */
    const search = (list) => {
      for (const entry of list ?? []) {
        if (entry.path === path) return entry;
        const found = search(listedIn(layer, breakdown, entry).entries);
        if (found) return found;
      }
      return undefined;
    };
    return search(listedIn(layer, breakdown, undefined).entries);
  }

  /** Opens or closes a folder; a folder the model left unlisted is asked for. @param {LayerRowView} layer @param {BreakdownView} breakdown @param {string} path @param {string} rowId */
  function toggleFolder(layer, breakdown, path, rowId) {
    const ui = contentsUi(layer.id);
    const open = new Set(ui.open);
    if (open.has(path)) open.delete(path);
    else {
      open.add(path);
      const entry = findEntry(layer, breakdown, path);
      const key = pageKey(layer.id, path);
      if (entry && entry.lazy && listedIn(layer, breakdown, entry).entries === null && !pending.has(key)) listFolder(layer, path, PAGE);
    }
    ui.open = [...open];
    ui.focused = rowId;
    save();
    redrawContents(layer.id);
    document.getElementById(rowId)?.focus();
  }

  /** Asks for the next page of a folder (or of the top, path ''). @param {LayerRowView} layer @param {BreakdownView} breakdown @param {string} path */
  function listMore(layer, breakdown, path) {
    const key = pageKey(layer.id, path);
    if (pending.has(key)) return;
    const entry = path === '' ? undefined : findEntry(layer, breakdown, path);
    listFolder(layer, path, (listedIn(layer, breakdown, entry).entries?.length ?? 0) + PAGE);
    contentsUi(layer.id).focused = contentsMoreId(layer.id, path);
    redrawContents(layer.id);
  }

  /** @param {KeyboardEvent} event @param {LayerRowView} layer @param {BreakdownView} breakdown */
  function onContentsKeyDown(event, layer, breakdown) {
    const row = /** @type {HTMLElement} */ (event.target);
    if (!(row instanceof HTMLElement) || !row.classList.contains('contents-row')) return;
    const tree = /** @type {HTMLElement} */ (row.closest('.contents-tree'));
    const rows = /** @type {HTMLElement[]} */ (Array.from(tree.querySelectorAll('.contents-row')));
    const at = rows.indexOf(row);
    const level = Number(row.getAttribute('aria-level'));
    const expanded = row.getAttribute('aria-expanded');
    const path = row.dataset.path ?? '';
    /** @param {HTMLElement | undefined} next */
    const move = (next) => {
      if (!next) return;
      setContentsTabStop(tree, next);
      next.focus();
      if (typeof next.scrollIntoView === 'function') next.scrollIntoView({ block: 'nearest' });
    };
    const backToLayer = () => document.getElementById(rowDomId(layer.id))?.focus();
    switch (event.key) {
      case 'ArrowDown': move(rows[at + 1]); break;
      case 'ArrowUp': move(rows[at - 1]); break;
      case 'Home': move(rows[0]); break;
      case 'End': move(rows[rows.length - 1]); break;
      case 'Enter':
        if (row.dataset.more) listMore(layer, breakdown, path);
        else if (!row.classList.contains('contents-extra')) chooseEntry(tree, row, layer, breakdown);
        break;
      case ' ':
        if (row.dataset.more) listMore(layer, breakdown, path);
        else if (expanded !== null) toggleFolder(layer, breakdown, path, row.id);
        break;
      case 'ArrowRight':
        if (expanded === 'false') toggleFolder(layer, breakdown, path, row.id);
        else if (expanded === 'true' && Number(rows[at + 1]?.getAttribute('aria-level')) > level) move(rows[at + 1]);
        break;
      case 'ArrowLeft':
        if (expanded === 'true') toggleFolder(layer, breakdown, path, row.id);
        else if (level > 1) move(rows.slice(0, at).reverse().find((r) => Number(r.getAttribute('aria-level')) === level - 1));
        else backToLayer();
        break;
      case 'Escape': backToLayer(); break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  /**
   * An explainer (Run, Ship): a section that folds under its heading. The extension says whether
   * it starts unfolded; a toggle is kept for this panel and reported so the next panel opens alike.
   * @param {string} className @param {string} headingText
   * @returns {{ section: HTMLElement, body: HTMLElement }}
   */
  function explainer(className, headingText) {
    const section = el('section', className);
    const details = el('details', 'explainer');
    details.open = state.explainersOpen !== false;
    const summary = el('summary');
    const heading = el('h2', '', headingText);
    heading.id = `${className}-heading`;
    section.setAttribute('aria-labelledby', heading.id);
    summary.append(heading);
    details.append(summary);
    details.addEventListener('toggle', () => {
      if (state.explainersOpen === details.open) return;
      state.explainersOpen = details.open;
      save();
      vscode.postMessage({ type: 'explainersToggled', open: details.open });
      // both explainers fold together
      for (const other of app.querySelectorAll('details.explainer')) if (other !== details) /** @type {HTMLDetailsElement} */ (other).open = details.open;
    });
    section.append(details);
    return { section, body: details };
  }

  /** @param {NonNullable<LayersView['run']>} run */
  function runSection(run) {
    const { section, body } = explainer('run', run.heading);
    const stack = el('ol', 'stack');
    for (const entry of run.stack) {
      const li = el('li', `stack-${STACK_KINDS.includes(entry.kind) ? entry.kind : 'layer'}`);
      li.append(el('span', 'stack-label', entry.label));
      if (entry.size) li.append(el('span', 'stack-size', entry.size));
      stack.append(li);
    }
    const points = el('ul', 'points');
    for (const point of run.points) points.append(el('li', '', point));
    body.append(stack, points);
    return section;
  }

  /** @param {NonNullable<LayersView['ship']>} ship */
  function shipSection(ship) {
    const { section, body } = explainer('ship', ship.heading);
    const figures = el('dl', 'figures');
    for (const figure of ship.figures) figures.append(el('dt', '', figure.label), el('dd', '', figure.value));
    const points = el('ul', 'points');
    for (const point of ship.points) points.append(el('li', '', point));
    body.append(figures, points);
    return section;
  }

  // ---- selection, focus, keyboard ---------------------------------------------------------------

  /** The main tree's items (stage headers and layer rows), not those of a layer's contents. @returns {HTMLElement[]} */
  function items() {
    return Array.from(app.querySelectorAll('.stage-header, .layer'));
  }

  /** @param {HTMLElement} node */
  const isMainItem = (node) => node.classList.contains('stage-header') || node.classList.contains('layer');

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
    if (!(item instanceof HTMLElement) || !isMainItem(item)) return;
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
        } else {
          // An open row: into its contents, as into a folder's children.
          const inside = item.querySelector('.contents-row[tabindex="0"]');
          if (inside instanceof HTMLElement) inside.focus();
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
          state.contents = {};
          state.pages = {};
          pending.clear();
        }
        save();
        render();
        // Folders listed on demand are drawn as they were until the new answers come.
        if (sameFile) refreshPages();
        return;
      }
      case 'breakdownPage': {
        const key = pageKey(`${message.stage}:${message.layer}`, message.path);
        if (message.uri !== state.uri || pending.get(key) !== message.request) return;
        pending.delete(key);
        (state.pages ??= {})[key] = message.page;
        save();
        redrawContents(`${message.stage}:${message.layer}`);
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
      case 'explainers':
        if (state.explainersOpen === message.open) return;
        state.explainersOpen = message.open;
        save();
        for (const details of app.querySelectorAll('details.explainer')) /** @type {HTMLDetailsElement} */ (details).open = message.open;
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
      log(`ignored ${describeMessage(message)}`);
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
