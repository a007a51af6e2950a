// exportctl web page: one script, no framework. Every page keeps its state in
// its URL (/check?chip=nvidia-h20&to=CN&date=2025-04-20), so opening a URL
// shows the answer; answers come from the same JSON API everyone uses, with
// the same API key (kept in sessionStorage when the server asks for one).
'use strict';

const PAGES = ['check', 'classify', 'screen', 'rules', 'audit', 'impact'];
const $ = (id) => document.getElementById(id);

// el('a', {href: u}, 'text', child...): elements built from data, never from HTML strings.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// The charting library (200 KB) is loaded only by the pages that draw a chart.
let chartLoading = null;
function loadChart() {
  if (typeof Chart !== 'undefined') return Promise.resolve();
  chartLoading = chartLoading || new Promise((resolve, reject) => {
    document.head.append(el('script', {src: '/assets/chart.js', onload: resolve, onerror: reject}));
  });
  return chartLoading;
}

// ------------------------------------------------------------------ API

class ApiError extends Error {
  constructor(status, field, message) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

async function api(path, body) {
  const headers = {};
  const key = sessionStorage.getItem('exportctl-key');
  if (key) headers['Authorization'] = 'Bearer ' + key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {method: body === undefined ? 'GET' : 'POST', headers,
                                 body: body === undefined ? undefined : JSON.stringify(body)});
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (res.status === 401) {
    $('key-panel').hidden = false;
    $('api-key').focus();
    throw new ApiError(401, null, 'this server needs an API key: enter it above');
  }
  if (!res.ok && !(res.status === 409 && path.startsWith('/v1/audit/verify'))) {
    const err = (data && data.error) || {};
    throw new ApiError(res.status, err.field || null, err.message || ('HTTP ' + res.status));
  }
  return data;
}

// Shows an API error next to the field it names ("party[1]" -> the party field), else above the result.
function showError(form, target, err) {
  const field = err.field ? String(err.field).split(/[\[.]/)[0] : null;
  const slot = field && form.querySelector(`.error[data-for="${field}"]`);
  if (slot) {
    slot.textContent = err.message;
    const input = form.elements[field];
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    target.replaceChildren();
  } else {
    target.replaceChildren(el('div', {class: 'card bad', role: 'alert'}, err.message));
  }
}

function clearErrors(form) {
  for (const e of form.querySelectorAll('.error')) e.textContent = '';
  for (const e of form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
}

// ------------------------------------------------------------------ forms and URLs

function formToParams(form) {
  const p = new URLSearchParams();
  for (const e of form.elements) {
    if (!e.name) continue;
    if (e.type === 'checkbox') { if (e.checked) p.set(e.name, '1'); continue; }
    const v = e.value.trim();
    if (v === '' || (e.name === 'end_use' && v === 'none')) continue;
    if (e.dataset.list !== undefined) for (const line of v.split('\n')) { if (line.trim()) p.append(e.name, line.trim()); }
    else p.set(e.name, v);
  }
  return p;
}

function paramsToForm(form, params) {
  for (const e of form.elements) {
    if (!e.name) continue;
    if (e.type === 'file') continue;
    if (e.type === 'checkbox') e.checked = params.get(e.name) === '1';
    else if (e.dataset.list !== undefined) e.value = params.getAll(e.name).join('\n');
    else if (e.tagName === 'SELECT') e.value = params.get(e.name) || e.options[0].value;
    else e.value = params.get(e.name) || '';
  }
}

const today = () => new Date().toISOString().slice(0, 10);

// ------------------------------------------------------------------ rendering helpers

function citation(c) {
  if (!c) return null;
  const text = c.text || c.fr || c.cfr || c.note || '';
  return el('span', {class: 'cite'}, c.url ? el('a', {href: c.url, target: '_blank', rel: 'noopener'}, text) : text);
}

function comparisons(list) {
  if (!list || !list.length) return null;
  return el('details', {}, el('summary', {}, 'comparisons'),
    el('table', {}, el('tbody', {}, list.map((c) => el('tr', {},
      el('td', {}, el('code', {}, c.test || '')),
      el('td', {}, el('code', {}, `${c.left} = ${c.left_value === null ? 'unknown' : JSON.stringify(c.left_value)}`)),
      el('td', {}, el('code', {}, `${c.op} ${c.right_value === null || c.right_value === undefined ? c.right : c.right_value}`)),
      el('td', {}, '→ ' + c.result))))));
}

function tags(label, items, cls) {
  if (!items || !items.length) return null;
  return el('p', {class: 'tags'}, el('strong', {}, label + ': '), items.map((i) => el('span', {class: cls || ''}, i)));
}

function verdict(j) {
  if (!j.determined) return el('div', {class: 'verdict open', 'data-verdict': 'undetermined'}, 'UNDETERMINED',
    el('small', {}, 'A figure the rules need is missing: ' + (j.missing || []).map((m) => m.input + ' (' + m.field + ')').join(', ')));
  const cls = j.license_required ? 'required' : 'free';
  return el('div', {class: 'verdict ' + cls, 'data-verdict': j.license_required ? 'required' : 'not-required'},
    j.decision, j.why ? el('small', {}, j.why) : null);
}

// ------------------------------------------------------------------ check

function renderCheck(j) {
  if (j.timeline) {
    return [el('h2', {}, `${j.item} to ${j.to}: the decision at every rule boundary`),
      el('table', {'data-testid': 'timeline'}, el('thead', {}, el('tr', {}, ['from', 'ECCN', 'decision', 'deciding rules'].map((h) => el('th', {}, h)))),
        el('tbody', {}, j.timeline.map((e) => el('tr', {class: e.changed ? 'changed' : ''},
          el('td', {}, e.date), el('td', {}, (e.classification && e.classification.eccn) || '?'),
          el('td', {}, e.decision), el('td', {}, (e.deciding_rules || []).join(', '))))))];
  }
  const groups = {};
  for (const r of j.reasons || []) (groups[r.type] = groups[r.type] || []).push(r);
  const order = ['requirement', 'party', 'undetermined', 'policy', 'exception', 'flag', 'destination', 'information', 'not-applicable'];
  const c = j.classification || {};
  return [
    verdict(j),
    j.hypothetical ? el('div', {class: 'card bad'}, 'HYPOTHETICAL: ' + j.hypothetical.note) : null,
    el('div', {class: 'card'},
      el('p', {}, el('strong', {}, 'Classification: '), c.determined === false ? 'UNDETERMINED' : (c.eccn || '?'),
        c.paragraph ? ` (paragraph ${c.paragraph})` : '', c.why ? ' — ' + c.why : ''),
      tags('Requirements', j.requirements), tags('Exceptions', j.exceptions), tags('Flags', j.flags, 'flag'),
      (j.warnings || []).map((w) => el('p', {class: 'bad'}, w))),
    el('h2', {}, 'Why'),
    el('ul', {class: 'reasons', 'data-testid': 'reasons'}, order.filter((t) => groups[t]).flatMap((t) => groups[t].map((r) =>
      el('li', {class: t},
        el('div', {}, el('span', {class: 'type'}, t), r.requirement ? el('strong', {}, r.requirement + ' ') : null, r.sentence),
        el('div', {}, r.rule ? el('code', {}, r.rule) : null, r.rule_title ? ' ' + r.rule_title + ' ' : ' ',
          citation(r.citation), r.evidence ? el('span', {class: 'cite'}, ' · evidence ' + r.evidence) : null),
        comparisons(r.comparisons))))),
    watchNotes(j.watch),
  ];
}

// A spec typed as JSON (instead of a catalog chip); an error under the spec field otherwise.
function specOf(params) {
  if (!params.get('spec')) return undefined;
  try { return JSON.parse(params.get('spec')); } catch (e) { throw new ApiError(400, 'spec', 'not valid JSON: ' + e.message); }
}

async function runCheck(params) {
  const spec = specOf(params);
  const body = {chip: spec ? undefined : params.get('chip'), spec, to: params.get('to'), date: params.get('date') || undefined};
  for (const k of ['hq', 'end_use', 'export_from']) if (params.get(k)) body[k] = params.get(k);
  if (params.getAll('party').length) body.party = params.getAll('party');
  if (params.getAll('owners').length) body.owners = params.getAll('owners');
  if (params.get('timeline') === '1') { body.timeline = true; delete body.date; }
  else if (!body.date) body.date = today();
  return renderCheck(await api('/v1/check', body));
}

// ------------------------------------------------------------------ classify

function renderClassifyOne(j) {
  const t = j.metrics && j.metrics.tpp, pd = j.metrics && j.metrics.pd;
  return [
    el('div', {class: 'verdict ' + (j.determined === false ? 'open' : (j.eccn && j.eccn.startsWith('not')) ? 'free' : 'required'),
               'data-verdict': j.eccn || 'undetermined'},
      j.determined === false ? 'UNDETERMINED' : j.eccn, j.paragraph ? ` (paragraph ${j.paragraph})` : '',
      el('small', {}, `${j.chip} on ${j.date}: ${j.why || ''}`)),
    el('div', {class: 'card'},
      el('h2', {}, 'Total processing performance: ' + (t && t.value !== null ? t.value : 'unknown')),
      t && t.terms ? el('table', {}, el('thead', {}, el('tr', {}, ['precision', 'dense TOPS', 'bit length', 'TOPS × bits'].map((h) => el('th', {class: h === 'precision' ? '' : 'n'}, h)))),
        el('tbody', {}, t.terms.map((x) => el('tr', {}, el('td', {}, x.precision), el('td', {class: 'n'}, x.dense_tops),
          el('td', {class: 'n'}, x.bits === null ? 'excluded' : x.bits), el('td', {class: 'n'}, x.tpp === null ? '—' : x.tpp))))) : null,
      t && t.basis ? el('p', {class: 'cite'}, 'TPP is the largest of these (' + t.basis + ')') : null,
      el('h2', {}, 'Performance density: ' + (pd && pd.value !== null && pd.value !== undefined ? pd.value : 'unknown')),
      pd && pd.nonplanar_logic_area_mm2 ? el('p', {}, `TPP ${t ? t.value : '?'} ÷ ${pd.nonplanar_logic_area_mm2} mm² of non-planar logic die area (${pd.dies_counted} die(s) counted)`) : null,
      el('p', {}, 'Rule: ', el('code', {}, j.rule_version || '—'), ' ', citation(j.citation))),
  ];
}

function renderClassifyTimeline(j) {
  const canvas = el('canvas', {role: 'img', 'aria-label': 'classification across rule versions'});
  const level = (e) => (!e.determined ? null : e.eccn && e.eccn.endsWith('.a') ? 3 : e.eccn && e.eccn.endsWith('.b') ? 2 : e.eccn && e.eccn.endsWith('.c') ? 1 : 0);
  const out = [el('h2', {}, `${j.chip} across every rule version, ${j.from} to ${j.to}`), el('div', {class: 'chart'}, canvas),
    el('table', {'data-testid': 'timeline'}, el('thead', {}, el('tr', {}, ['from', 'ECCN', 'paragraph', 'rule', 'why'].map((h) => el('th', {}, h)))),
      el('tbody', {}, j.timeline.map((e) => el('tr', {class: e.changed ? 'changed' : ''}, el('td', {}, e.date),
        el('td', {}, e.determined ? e.eccn : 'UNDETERMINED'), el('td', {}, e.paragraph || ''), el('td', {}, e.rule_version || ''), el('td', {}, e.why || '')))))];
  loadChart().then(() => {
    new Chart(canvas, {type: 'line', data: {labels: j.timeline.map((e) => e.date),
      datasets: [{label: 'control level', data: j.timeline.map(level), stepped: true, borderColor: '#b3261e', backgroundColor: '#b3261e'}]},
      options: {animation: false, maintainAspectRatio: false, plugins: {legend: {display: false}},
        scales: {y: {min: 0, max: 3, ticks: {stepSize: 1, callback: (v) => ['not 3A090', '3A090.c', '3A090.b', '3A090.a'][v]}}}}});
    canvas.dataset.drawn = 'true';
  }).catch(() => {});
  return out;
}

async function runClassify(params) {
  const spec = specOf(params);
  const body = spec ? {spec} : {chip: params.get('chip')};
  if (params.get('timeline') === '1') body.timeline = true;
  else body.date = params.get('date') || today();
  const j = await api('/v1/classify', body);
  return j.timeline ? renderClassifyTimeline(j) : renderClassifyOne(j);
}

// ------------------------------------------------------------------ screen

function matchRows(matches) {
  return matches.map((m) => el('tr', {},
    el('td', {class: 'n'}, m.score.toFixed(2)),
    el('td', {}, m.matched_name, m.entry.name !== m.matched_name ? el('div', {class: 'cite'}, m.entry.name) : null,
      m.name_source ? el('div', {class: 'cite', 'data-testid': 'name-source'}, `Chinese name from ${m.name_source.source_kind}: `,
        el('a', {href: m.name_source.source_url, rel: 'noopener noreferrer'}, m.name_source.source_title),
        ` (read ${m.name_source.read_on})`,
        m.name_source.unconfirmed ? el('div', {class: 'unconfirmed'}, 'UNCONFIRMED: ' + m.name_source.unconfirmed) : null) : null),
    el('td', {}, m.entry.source, el('div', {class: 'cite'}, m.entry.federal_register_notice || '')),
    el('td', {}, m.entry.license_requirement || '', el('div', {class: 'cite'}, m.entry.license_policy || '')),
    el('td', {'data-testid': 'alignment'}, (m.alignment || []).map((a) => el('div', {},
      el('code', {}, a.query || '–'), ' = ', el('code', {}, a.listed || '–'), el('span', {class: 'cite'}, ` ${a.how}, ${a.kind}`))))));
}

// Parties publicly reported as under consideration for listing: information beside the answer.
function watchNotes(watch) {
  if (!watch || !watch.length) return null;
  return el('div', {class: 'watch', 'data-testid': 'watch'}, watch.map((w) => el('p', {},
    el('strong', {}, `watch: ${w.status}`), ` — ${w.name} (${w.score.toFixed(2)}, matched "${w.matched_name}"). `,
    w.remarks, ' ', el('a', {href: w.source_url, rel: 'noopener noreferrer'}, 'source'),
    el('div', {class: 'cite'}, 'Information only: ' + w.information_only))));
}

async function runScreen(params) {
  const body = {name: params.get('name')};
  if (params.get('country')) body.country = params.get('country');
  const j = await api('/v1/screen', body);
  const head = el('thead', {}, el('tr', {}, ['score', 'matched name', 'list', 'license', 'alignment (query = listed)'].map((h) => el('th', {class: h === 'score' ? 'n' : ''}, h))));
  const accepted = j.suppressed_by_adjudication || [];
  return [
    el('div', {class: 'verdict ' + (j.matches.length ? 'required' : 'free'), 'data-verdict': j.matches.length ? 'match' : 'no-match'},
      j.matches.length ? `${j.matches.length} match(es) for "${j.query}"` : `No match for "${j.query}"`,
      el('small', {}, `threshold ${j.threshold}, lists ${j.list_version}`)),
    j.matches.length ? el('table', {'data-testid': 'matches'}, head, el('tbody', {}, matchRows(j.matches))) : null,
    watchNotes(j.watch),
    accepted.length ? [el('h2', {}, 'Accepted false positives (adjudicated: not alerts)'),
      el('table', {'data-testid': 'accepted'}, el('thead', {}, el('tr', {}, ['score', 'entry', 'decided by', 'on', 'reason'].map((h) => el('th', {}, h)))),
        el('tbody', {}, accepted.map((a) => el('tr', {class: 'accepted'}, el('td', {class: 'n'}, a.score.toFixed(2)),
          el('td', {}, a.name, el('div', {class: 'cite'}, a.entry)), el('td', {}, a.decided_by), el('td', {}, a.date), el('td', {}, a.reason)))))] : null,
  ];
}

// ------------------------------------------------------------------ rules

function ruleRows(rules) {
  return rules.map((r) => el('tr', {}, el('td', {}, el('code', {}, r.id)), el('td', {}, r.kind), el('td', {}, r.title),
    el('td', {}, r.effective_from), el('td', {}, r.effective_to || '—'), el('td', {}, r.evidence), el('td', {}, citation(r.citation))));
}

async function runRules(params) {
  const date = params.get('date') || today();
  const j = await api('/v1/rules?date=' + encodeURIComponent(date));
  const head = () => el('thead', {}, el('tr', {}, ['id', 'kind', 'title', 'from', 'to', 'evidence', 'citation'].map((h) => el('th', {}, h))));
  const out = [];
  if (params.get('compare')) {
    const other = await api('/v1/rules?date=' + encodeURIComponent(params.get('compare')));
    const ids = new Set(j.rules.map((r) => r.id)), otherIds = new Set(other.rules.map((r) => r.id));
    const added = j.rules.filter((r) => !otherIds.has(r.id)), removed = other.rules.filter((r) => !ids.has(r.id));
    out.push(el('h2', {}, `In force on ${date} but not on ${params.get('compare')} (${added.length})`),
      el('table', {'data-testid': 'rules-added'}, head(), el('tbody', {}, ruleRows(added))),
      el('h2', {}, `In force on ${params.get('compare')} but not on ${date} (${removed.length})`),
      el('table', {'data-testid': 'rules-removed'}, head(), el('tbody', {}, ruleRows(removed))));
  }
  out.push(el('h2', {}, `${j.rules.length} rule versions in force on ${date}`),
    el('table', {'data-testid': 'rules'}, head(), el('tbody', {}, ruleRows(j.rules))));
  return out;
}

// ------------------------------------------------------------------ audit

async function runAudit(params) {
  const q = new URLSearchParams({limit: '100'});
  for (const k of ['from', 'to', 'caller', 'kind']) if (params.get(k)) q.set(k, params.get(k));
  const j = await api('/v1/audit?' + q);
  const detail = el('div', {});
  const verdicts = {required: (r) => r.license_required === true, 'not-required': (r) => r.license_required === false && r.determined !== false,
                    undetermined: (r) => r.determined === false, match: (r) => (r.matches || []).length > 0};
  const keep = verdicts[params.get('verdict')] || (() => true);
  const records = j.records.slice().reverse().filter((r) => keep(r.response || {}));  // newest first
  return [
    el('p', {class: 'cite'}, `${records.length} decision(s) shown, newest first · ${j.log || ''}`),
    el('table', {'data-testid': 'audit'}, el('thead', {}, el('tr', {}, ['seq', 'time', 'caller', 'kind', 'item or name', 'decision'].map((h) => el('th', {}, h)))),
      el('tbody', {}, records.map((r) => {
        const resp = r.response || {}, req = r.request || {};
        const summary = resp.decision || resp.eccn || (resp.matches ? resp.matches.length + ' match(es)' : '');
        return el('tr', {class: 'clickable', tabindex: '0', onclick: () => detail.replaceChildren(
            el('h2', {}, `Record ${r.seq}`), el('p', {class: 'cite'}, 'hash ' + r.hash),
            el('h2', {}, 'Request'), el('pre', {}, JSON.stringify(r.request, null, 2)),
            el('h2', {}, 'Response'), el('pre', {}, JSON.stringify(r.response, null, 2))),
          onkeydown: (e) => { if (e.key === 'Enter') e.currentTarget.click(); }},
          el('td', {}, r.seq), el('td', {}, r.time), el('td', {}, r.caller), el('td', {}, r.kind),
          el('td', {}, req.chip || req.name || (req.spec && req.spec.name) || '', req.to ? ' → ' + req.to : ''), el('td', {}, summary));
      }))),
    detail,
  ];
}

async function verifyChain() {
  const out = $('audit-verify-result');
  out.replaceChildren(el('p', {}, 'verifying…'));
  try {
    const j = await api('/v1/audit/verify');
    out.replaceChildren(el('div', {class: 'card', 'data-testid': 'verify'},
      j.ok ? el('span', {class: 'ok'}, `Chain whole: ${j.records} record(s) verified`) :
        el('span', {class: 'bad'}, 'Chain BROKEN: ' + (j.problem || j.message || JSON.stringify(j)))));
  } catch (err) {
    out.replaceChildren(el('div', {class: 'card bad', role: 'alert'}, err.message));
  }
}

// ------------------------------------------------------------------ impact

const KINDS = [['newly_required', 'Newly required', '#c0392b'], ['tightened', 'Tightened', '#e67e22'],
               ['undetermined', 'Undetermined', '#8e7cc3'], ['freed', 'Freed', '#27ae60'],
               ['eased', 'Eased', '#7fb77e'], ['unchanged', 'Unchanged', '#9aa3b2']];
const money = (revenue) => Object.entries(revenue || {}).map(([c, v]) =>
  c + ' ' + Number(v).toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})).join('; ') || '—';

function impactChart(title, map, keys, horizontal, currency) {
  const canvas = el('canvas', {role: 'img', 'aria-label': title});
  loadChart().then(() => {
    const rev = (b) => (b && b.revenue && b.revenue[currency]) || 0;
    const sets = KINDS.slice(0, 5).map(([k, label, color]) => ({label, backgroundColor: color,
      data: keys.map((x) => rev(map[x] && map[x][k]))})).filter((d) => d.data.some((v) => v > 0));
    new Chart(canvas, {type: 'bar', data: {labels: keys, datasets: sets}, options: {indexAxis: horizontal ? 'y' : 'x',
      animation: false, maintainAspectRatio: false, scales: {x: {stacked: true}, y: {stacked: true}}}});
    canvas.dataset.drawn = 'true';
  }).catch(() => {});
  return [el('h2', {}, title + (currency ? ` (${currency})` : '')), el('div', {class: 'chart'}, canvas)];
}

function renderImpact(s) {
  const cur = s.ranking_currency;
  const affected = (m) => Object.keys(m).filter((k) => KINDS.slice(0, 5).some(([kind]) => m[k][kind])).slice(0, 15);
  const tc = {};
  for (const c of s.top_customers) tc[c.customer] = c.by_change;
  const missing = ['before', 'after'].flatMap((side) => Object.entries(s.undetermined_missing[side] || {}).map(
    ([input, n]) => `${side}: ${input} (${n} orders)`));
  return [
    s.scenarios.length ? el('div', {class: 'card bad'}, 'HYPOTHETICAL: the "after" side includes what-if rules: ' +
      s.scenarios.map((x) => x.id + ' (' + x.title + ')').join('; ')) : null,
    el('h2', {}, `${s.orders} orders, ${s.before} → ${s.after}` + (s.skipped_rows ? `, ${s.skipped_rows} bad rows skipped` : '')),
    el('table', {'data-testid': 'impact-by-change'}, el('thead', {}, el('tr', {}, ['change', 'orders', 'units', 'revenue'].map((h) => el('th', {class: h === 'change' ? '' : 'n'}, h)))),
      el('tbody', {}, KINDS.map(([k, label]) => el('tr', {'data-kind': k}, el('td', {}, label),
        el('td', {class: 'n'}, s.by_change[k].orders), el('td', {class: 'n'}, s.by_change[k].units),
        el('td', {class: 'n'}, money(s.by_change[k].revenue)))))),
    missing.length ? el('p', {class: 'cite'}, 'Undetermined orders wait for figures the data does not give: ' + missing.join('; ')) : null,
    cur ? impactChart('Revenue by ship quarter and change', s.by_quarter, Object.keys(s.by_quarter).sort(), false, cur) : null,
    cur ? impactChart('By chip', s.by_chip, affected(s.by_chip), true, cur) : null,
    cur ? impactChart('By destination', s.by_destination, affected(s.by_destination), true, cur) : null,
    el('h2', {}, 'Largest affected customers'),
    el('table', {'data-testid': 'impact-customers'}, el('thead', {}, el('tr', {}, ['customer', 'exposed orders', 'exposed revenue'].map((h) => el('th', {}, h)))),
      el('tbody', {}, s.top_customers.map((c) => el('tr', {}, el('td', {}, c.customer), el('td', {class: 'n'}, c.exposure.orders),
        el('td', {class: 'n'}, money(c.exposure.revenue)))))),
    s.bad_rows.length ? [el('h2', {}, 'Skipped rows'), el('ul', {}, s.bad_rows.map((b) => el('li', {}, `line ${b.line}: ${b.error}`)))] : null,
  ];
}

async function runImpact(form) {
  const orders = form.elements.orders.files[0];
  if (!orders) throw new ApiError(400, 'orders', 'choose an order book (CSV)');
  const body = {orders: await orders.text(), before: form.elements.before.value, after: form.elements.after.value,
                strict: form.elements.strict.checked};
  const scenarios = [...form.elements.scenarios.files];
  if (scenarios.length) body.scenarios = await Promise.all(scenarios.map((f) => f.text()));
  return renderImpact(await api('/v1/impact', body));
}

// ------------------------------------------------------------------ router

// Impact has no runner from the URL: its order book is a file the browser must be given.
const RUNNERS = {check: [runCheck, ['item', 'to']], classify: [runClassify, ['item']], screen: [runScreen, ['name']],
                 rules: [runRules, []], audit: [runAudit, []], impact: [null, ['never']]};

function pageOf(path) {
  const name = path.replace(/^\/+/, '').split('/')[0];
  return PAGES.includes(name) ? name : 'check';
}

async function show(page, params, {run}) {
  for (const p of PAGES) $('page-' + p).hidden = p !== page;
  for (const a of document.querySelectorAll('nav a')) a.toggleAttribute('aria-current', a.dataset.page === page);
  if (document.querySelector('nav a[aria-current]')) document.querySelector('nav a[aria-current]').setAttribute('aria-current', 'page');
  document.title = 'exportctl · ' + page;
  const form = $(page + '-form'), target = $(page + '-result');
  paramsToForm(form, params);
  for (const d of form.querySelectorAll('details')) if (d.querySelector('textarea').value) d.open = true;
  clearErrors(form);
  const [runner, needed] = RUNNERS[page];
  const given = (k) => (k === 'item' ? params.get('chip') || params.get('spec') : params.get(k));
  if (!run || !needed.every(given)) { if (!run) target.replaceChildren(); return; }
  await answer(form, target, 'asking the engine…', () => runner(params));
}

// Draws what `produce` returns into `target`, or its error next to its field;
// body[data-state] says which (loading, answered, error) for people and tests.
async function answer(form, target, waiting, produce) {
  target.replaceChildren(el('p', {class: 'cite'}, waiting));
  document.body.dataset.state = 'loading';
  try {
    target.replaceChildren(...[await produce()].flat(3).filter(Boolean));
    document.body.dataset.state = 'answered';
  } catch (err) {
    showError(form, target, err);
    document.body.dataset.state = 'error';
  }
}

function route() {
  const page = pageOf(location.pathname);
  const params = new URLSearchParams(location.search);
  return show(page, params, {run: [...params.keys()].length > 0 || page === 'rules' || page === 'audit'});
}

function init() {
  $('impact-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target, target = $('impact-result');
    history.pushState(null, '', '/impact?' + new URLSearchParams({before: form.elements.before.value, after: form.elements.after.value}));
    clearErrors(form);
    await answer(form, target, 'deciding every order twice…', () => runImpact(form));
  });
  for (const page of PAGES.filter((p) => p !== 'impact')) {
    $(page + '-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const params = formToParams(e.target);
      history.pushState(null, '', '/' + page + (params.toString() ? '?' + params : ''));
      route();
    });
  }
  for (const a of document.querySelectorAll('nav a, a.brand')) a.addEventListener('click', (e) => {
    e.preventDefault();
    history.pushState(null, '', a.getAttribute('href'));
    route();
  });
  $('audit-verify').addEventListener('click', verifyChain);
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('exportctl-key', $('api-key').value.trim());
    $('key-panel').hidden = true;
    route();
  });
  window.addEventListener('popstate', route);
  api('/v1/chips').then((j) => {
    const chips = Array.isArray(j) ? j : (j.chips || []);
    $('chips').replaceChildren(...chips.map((c) => el('option', {value: c.id}, `${c.vendor} ${c.name}`)));
  }).catch(() => {});
  fetch('/healthz').then((r) => r.json()).then((h) => {
    const v = h.versions || {};
    $('versions').textContent = `exportctl ${v.exportctl || ''} · rules ${v.rules || ''} · lists ${v.lists || ''}`;
  }).catch(() => {});
  route();
}

init();
