// The trace page: a waterfall rendered on the server (one row per span, bars placed in percent of
// the trace's duration), the critical path drawn over the bars, and a short script for collapse,
// keyboard moves and span details (built from the trace's JSON embedded in the page).
import { isErrorSpan } from '../model.js';
import type { StoredTrace } from '../store.js';
import { layoutTrace } from '../trace-layout.js';
import { PALETTE, colorsFor, esc, formatDuration, formatTime } from './html.js';

const pct = (n: number): string => (Math.round(n * 1000) / 1000).toString();

export function traceBody(trace: StoredTrace): string {
  const layout = layoutTrace(trace.spans);
  const total = Math.max(layout.end - layout.start, 1);
  const colors = colorsFor(trace.spans.map((s) => s.process.serviceName));
  const colorIndex = new Map([...colors.keys()].map((name, i) => [name, i % 10]));
  const bySpan = new Map<string, string>();
  for (const seg of layout.critical) {
    const mark = `<i class="cp" style="left:${pct(((seg.start - layout.start) / total) * 100)}%;width:${pct(((seg.end - seg.start) / total) * 100)}%"></i>`;
    bySpan.set(seg.spanID, (bySpan.get(seg.spanID) ?? '') + mark);
  }
  // Rows are kept short (classes instead of inline colours, depth as one custom property): a
  // 5 000-span trace is 5 000 of them.
  const rows: string[] = new Array<string>(layout.rows.length);
  let errors = 0;
  let maxDepth = 0;
  for (let i = 0; i < layout.rows.length; i++) {
    const { span, depth, parentRow, childCount } = layout.rows[i]!;
    const error = isErrorSpan(span);
    if (error) errors++;
    if (depth > maxDepth) maxDepth = depth;
    const left = ((span.startTime - layout.start) / total) * 100;
    const width = (span.duration / total) * 100;
    const inside = left + width > 82;
    const label = inside ? `right:${pct(Math.max(0, 100 - left - width))}%` : `left:${pct(left + width)}%`;
    const critical = bySpan.get(span.spanID);
    rows[i] = `<div class="row c${colorIndex.get(span.process.serviceName)}${error ? ' error' : ''}${critical !== undefined || layout.criticalSpans.has(span.spanID) ? ' critical' : ''}" id="s-${span.spanID}" ` +
      `data-d="${depth}" data-p="${parentRow}" style="--d:${Math.min(depth, 40)}" role="treeitem" aria-level="${depth + 1}"${childCount > 0 ? ' aria-expanded="true"' : ''} tabindex="${i === 0 ? 0 : -1}">` +
      `<div class="name">${childCount > 0 ? '<button class="tog" tabindex="-1" aria-label="collapse">▾</button>' : '<span class="tog"></span>'}<span class="chip"></span><span class="svc">${esc(span.process.serviceName)}</span> <span class="op">${esc(span.operationName)}</span>${error ? ' <span class="mark" title="error">!</span>' : ''}</div>` +
      `<div class="lane"><div class="bar" style="left:${pct(left)}%;width:${pct(width)}%"></div>${critical ?? ''}<span class="dur${inside ? ' in' : ''}" style="${label}">${formatDuration(span.duration)}</span></div></div>`;
  }
  const first = layout.rows[0]?.span;
  const title = first === undefined ? 'empty trace' : `${first.process.serviceName}: ${first.operationName}`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<span style="left:${f * 100}%">${formatDuration(total * f)}</span>`).join('');
  const legend = [...colors].map(([name]) => `<span class="svc c${colorIndex.get(name)}"><span class="chip"></span>${esc(name)}</span>`).join(' ');
  return `<div class="trace-head"><h1>${esc(title)} <span class="muted">${trace.traceID}</span></h1>
<p class="meta">Started ${esc(formatTime(layout.start))} · Duration <strong>${formatDuration(total)}</strong> · ${trace.spans.length} spans · depth ${maxDepth + 1} · ${colors.size} service${colors.size === 1 ? '' : 's'}${errors > 0 ? ` · <span class="err">${errors} error${errors === 1 ? '' : 's'}</span>` : ''}</p>
<p class="tools"><a class="button" href="/api/traces/${trace.traceID}?download=1" download="trace-${trace.traceID}.json">Download JSON</a> <button type="button" id="collapse-all">Collapse all</button> <button type="button" id="expand-all">Expand all</button> <span class="legend">${legend}</span> <span class="muted cp-key"><i class="cp-sample"></i> critical path</span> <span class="muted keys">↑↓ move · ←→ collapse/expand · Enter details</span></p></div>
<div class="waterfall" role="tree" aria-label="spans" data-trace-id="${trace.traceID}" data-start="${layout.start}"><div class="ruler"><div class="name">Service · operation</div><div class="lane ticks">${ticks}</div></div>${rows.join('')}</div>`;
}

export const TRACE_CSS = `
${PALETTE.map((color, i) => `.c${i}{--c:${color}}`).join('')}
.trace-head .meta{margin:0 0 6px}.trace-head .tools{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0 0 10px}
a.button{border:1px solid var(--line);border-radius:4px;padding:4px 8px;color:var(--fg)}
.legend .svc{margin-right:8px;font-size:12px}.keys{font-size:12px;margin-left:auto}
.cp-sample{display:inline-block;width:18px;height:3px;background:var(--cp);vertical-align:middle}
.waterfall{border:1px solid var(--line);border-radius:6px;font-size:13px}
.ruler,.row{display:grid;grid-template-columns:minmax(260px,32%) 1fr}
.ruler{position:sticky;top:41px;background:var(--panel);border-bottom:1px solid var(--line);z-index:2;font-size:12px;color:var(--muted)}
.ruler .name{padding:4px 8px}.ticks{position:relative;height:24px;margin:0 60px 0 8px}
.ticks span{position:absolute;top:4px;transform:translateX(-50%);white-space:nowrap}.ticks span:first-child{transform:none}.ticks span:last-child{transform:translateX(-100%)}
.row{border-bottom:1px solid var(--line);content-visibility:auto;contain-intrinsic-size:auto 26px;cursor:pointer}
[hidden]{display:none !important}
.row:hover{background:var(--hover)}.row:focus{outline:none;background:var(--sel)}.row.selected{background:var(--sel)}
.row .name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:3px 8px 3px calc(4px + var(--d) * 14px);border-right:1px solid var(--line)}
.tog{display:inline-block;width:16px;border:0;background:none;padding:0;color:var(--muted);font-size:11px}
.row .svc{font-weight:600}.row .op{color:var(--muted)}.row.error .svc{color:var(--err)}
.mark{display:inline-block;background:var(--err);color:#fff;border-radius:8px;width:15px;height:15px;font-size:11px;line-height:15px;text-align:center;font-weight:700}
.lane{position:relative;margin:0 60px 0 8px}
.bar{position:absolute;top:6px;height:13px;min-width:1px;border-radius:2px;background:var(--c);opacity:.85}
.row.error .bar{background:repeating-linear-gradient(135deg,var(--c) 0 6px,var(--err) 6px 9px)}
.cp{position:absolute;top:21px;height:3px;background:var(--cp);border-radius:1px}
.dur{position:absolute;top:3px;padding:0 5px;font-size:11px;color:var(--muted);white-space:nowrap}
.dur.in{color:#fff;text-shadow:0 0 2px #000,0 0 2px #000}
.details{grid-column:1/-1;padding:8px 12px 12px;background:var(--panel);border-bottom:1px solid var(--line);cursor:auto;font-size:12px}
.details h3{font-size:12px;margin:8px 0 4px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.details table{border-collapse:collapse}.details td{padding:1px 12px 1px 0;vertical-align:top;font-family:ui-monospace,monospace;word-break:break-all}
.details td:first-child{color:var(--muted);white-space:nowrap}
`;

// Rows come in depth-first order, so a row's parent is always above it: visibility is one pass.
// Rows come in depth-first order, so a row's parent is always above it: visibility is one pass.
// Span details come from the query API on first use, so the page itself carries no JSON copy.
export const TRACE_SCRIPT = `
const fall=document.querySelector('.waterfall');const traceID=fall.dataset.traceId,t0=+fall.dataset.start;
const rows=[...fall.querySelectorAll('.row')];const index=new Map(rows.map((r,i)=>[r,i]));
const collapsed=new Uint8Array(rows.length),hidden=new Uint8Array(rows.length);let data=null;
const fmt=us=>us<1000?Math.round(us)+'µs':us<1e6?(us/1000).toFixed(us<1e4?2:1)+'ms':(us/1e6).toFixed(2)+'s';
async function load(){if(!data){const r=await fetch('/api/traces/'+traceID);const t=(await r.json()).data[0];data={trace:t,byId:new Map(t.spans.map(s=>[s.spanID,s]))};}return data;}
const parents=Int32Array.from(rows,r=>+r.dataset.p);
function refresh(from,to){for(let i=from;i<to;i++){const p=parents[i];const h=p>=0&&(hidden[p]||collapsed[p])?1:0;if(h===hidden[i])continue;hidden[i]=h;rows[i].hidden=!!h;
const d=rows[i].nextElementSibling;if(d&&d.classList.contains('details'))d.hidden=!!h;}}
function subtreeEnd(i){const d=+rows[i].dataset.d;let j=i+1;while(j<rows.length&&+rows[j].dataset.d>d)j++;return j;}
function mark(i,on){collapsed[i]=on?1:0;rows[i].setAttribute('aria-expanded',on?'false':'true');const b=rows[i].querySelector('button.tog');if(b){b.textContent=on?'▸':'▾';b.setAttribute('aria-label',on?'expand':'collapse');}}
function setCollapsed(i,on){if(!rows[i].hasAttribute('aria-expanded'))return;mark(i,on);refresh(i+1,subtreeEnd(i));}
function cell(tr,text){const td=document.createElement('td');td.textContent=text;tr.append(td);}
function table(title,pairs){if(!pairs.length)return null;const f=document.createDocumentFragment();const h=document.createElement('h3');h.textContent=title;
const t=document.createElement('table');for(const [k,v] of pairs){const tr=document.createElement('tr');cell(tr,k);cell(tr,v);t.append(tr);}f.append(h,t);return f;}
const kv=list=>list.map(t=>[t.key,typeof t.value==='string'?t.value:JSON.stringify(t.value)]);
async function details(row){const next=row.nextElementSibling;if(next&&next.classList.contains('details')){next.remove();row.classList.remove('selected');return;}
const {trace,byId}=await load();const s=byId.get(row.id.slice(2));if(!s||(row.nextElementSibling&&row.nextElementSibling.classList.contains('details')))return;
const p=trace.processes[s.processID]||{serviceName:'',tags:[]};const box=document.createElement('div');box.className='details';box.setAttribute('role','region');box.setAttribute('aria-label','span details');
const parts=[table('Span',[['operation',s.operationName],['service',p.serviceName],['span id',s.spanID],['start',fmt(s.startTime-t0)+' after the trace start'],['duration',fmt(s.duration)]]),
table('Tags',kv(s.tags)),table('Process',kv(p.tags)),
table('Logs',s.logs.map(l=>[fmt(l.timestamp-t0),l.fields.map(f=>f.key+'='+(typeof f.value==='string'?f.value:JSON.stringify(f.value))).join('  ')])),
table('References',s.references.map(r=>[r.refType,r.traceID===trace.traceID&&byId.has(r.spanID)?byId.get(r.spanID).operationName+' ('+r.spanID+')':r.traceID+':'+r.spanID]))];
for(const part of parts)if(part)box.append(part);row.after(box);row.classList.add('selected');}
const visible=()=>rows.filter((r,i)=>!hidden[i]);
function move(row,delta){const v=visible();const k=v.indexOf(row)+delta;if(k>=0&&k<v.length)focusRow(v[k]);}
function focusRow(row){for(const r of rows)if(r.tabIndex===0)r.tabIndex=-1;row.tabIndex=0;row.focus();}
fall.addEventListener('click',e=>{const row=e.target.closest('.row');if(!row)return;const i=index.get(row);
if(e.target.closest('button.tog')){setCollapsed(i,!collapsed[i]);return;}focusRow(row);details(row);});
fall.addEventListener('keydown',e=>{const row=e.target.closest('.row');if(!row)return;const i=index.get(row);
switch(e.key){case 'ArrowDown':case 'j':move(row,1);break;case 'ArrowUp':case 'k':move(row,-1);break;
case 'ArrowLeft':if(row.hasAttribute('aria-expanded')&&!collapsed[i])setCollapsed(i,true);else if(+row.dataset.p>=0)focusRow(rows[+row.dataset.p]);break;
case 'ArrowRight':if(collapsed[i])setCollapsed(i,false);break;case 'Home':focusRow(rows[0]);break;case 'End':{const v=visible();focusRow(v[v.length-1]);break;}
case 'Enter':case ' ':details(row);break;default:return;}e.preventDefault();});
document.getElementById('collapse-all').onclick=()=>{for(let i=0;i<rows.length;i++)if(rows[i].hasAttribute('aria-expanded')&&+rows[i].dataset.d>0)mark(i,true);refresh(0,rows.length);};
document.getElementById('expand-all').onclick=()=>{for(let i=0;i<rows.length;i++)if(collapsed[i])mark(i,false);refresh(0,rows.length);};
if(location.hash.startsWith('#s-')){const r=document.getElementById(location.hash.slice(1));if(r){focusRow(r);details(r);}}
`;
