// Dashboard additions to the shared stylesheet: navigation, metric tiles, charts, tables.
export const DASH_CSS = `
.ar{fill:var(--accent);opacity:.1}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.nav{display:flex;align-items:center;gap:16px;padding:14px 0;border-bottom:1px solid var(--line);margin-bottom:8px;flex-wrap:wrap}
.nav .brand{font-weight:700;color:var(--fg);text-decoration:none;letter-spacing:-.01em}
.assertions{margin:.3rem 0;padding-left:1.1rem}
.excerpt{margin:.3rem 0 0;padding:4px 8px;border-left:3px solid var(--line);white-space:pre-wrap;overflow-wrap:anywhere}
.nav .who{margin-left:auto;display:flex;gap:10px;align-items:center}
.wide{max-width:1120px}
button,.btn{font:inherit;font-size:.85rem;font-weight:600;padding:6px 12px;border-radius:7px;border:1px solid var(--line);background:var(--card);color:var(--fg);cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--card)}
button:focus-visible,a:focus-visible,select:focus-visible,input:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
input,select,textarea{font:inherit;padding:8px 10px;border-radius:7px;border:1px solid var(--line);background:var(--card);color:var(--fg)}
label{font-weight:600;font-size:.9rem}
.signin{max-width:420px;margin:12vh auto 0}
.signin input{width:100%;margin:6px 0 14px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
.error{color:var(--out);font-weight:600}
.tiles{display:grid;grid-template-columns:repeat(5,1fr);gap:14px;margin-top:12px}
.tile{min-width:0}
.tile .k{font-size:.75rem;color:var(--muted)}
.tile .v{font-size:1.15rem;font-weight:650;font-variant-numeric:tabular-nums}
.tile .d{font-size:.75rem;color:var(--muted);font-variant-numeric:tabular-nums}
.tile .d.up{color:var(--out)}.tile .d.good{color:var(--op)}
.tile svg{width:100%;height:26px;margin-top:4px}
.dep h3 a{color:var(--fg);text-decoration:none}.dep h3 a:hover{text-decoration:underline}
.tabs{display:flex;gap:4px;background:var(--soft);padding:3px;border-radius:9px;width:max-content}
.tabs a{padding:4px 12px;border-radius:7px;text-decoration:none;color:var(--muted);font-size:.85rem;font-weight:600}
.tabs a[aria-current]{background:var(--card);color:var(--fg);box-shadow:0 1px 2px rgba(0,0,0,.08)}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.chart figcaption{margin-bottom:8px}
.chart .legend{display:flex;gap:10px;align-items:baseline;font-size:.8rem;color:var(--muted)}
.chart .legend b{color:var(--fg);font-size:.95rem;font-variant-numeric:tabular-nums}
.key i{display:inline-block;width:12px;height:3px;border-radius:2px;margin-right:4px;vertical-align:middle;background:var(--accent)}
.key.k0 i{opacity:.45}
.plot{position:relative;padding-top:16px}
.plot svg{width:100%;height:150px}
.ymax{position:absolute;top:0;left:0;font-size:.7rem;color:var(--muted)}
.grid{stroke:var(--line);stroke-width:1;vector-effect:non-scaling-stroke;fill:none}
.ln.l0{opacity:.45}
.band{fill:var(--out);opacity:.1}.band.focus{opacity:.22}
.mk path{stroke:var(--mark);stroke-width:1.5;stroke-dasharray:4 3;vector-effect:non-scaling-stroke}
.mk rect{fill:transparent}
.bl{fill:var(--muted);opacity:.16}.lv-band i{background:var(--muted);opacity:.4;height:8px}
.lv{fill:none;stroke-width:1.5;vector-effect:non-scaling-stroke}.lv.threshold{stroke:var(--out);stroke-dasharray:6 4}.lv.baseline{stroke:var(--muted);stroke-dasharray:2 3}
.levels{display:flex;gap:12px;margin:4px 0 0;color:var(--muted)}.lv-threshold i{background:var(--out)}.lv-baseline i{background:var(--muted)}
.flag{position:absolute;top:0;transform:translateX(-50%);font-size:.68rem;font-weight:600;color:var(--mark);background:var(--card);padding:0 4px;border-radius:4px;border:1px solid color-mix(in srgb,var(--mark) 45%,transparent);white-space:nowrap}
.flag.end{transform:translateX(calc(-100% + 1px));border-bottom-right-radius:0}.flag.start{transform:translateX(-1px);border-bottom-left-radius:0}.flag a{color:inherit}
.xaxis{display:flex;justify-content:space-between;font-size:.7rem;color:var(--muted);margin-top:4px}
.sum{font-size:.75rem;color:var(--muted);margin:6px 0 0}
.focus{border-color:var(--accent);box-shadow:0 0 0 1px var(--accent)}
table{width:100%;border-collapse:collapse;font-size:.875rem}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.75rem;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll{overflow-x:auto}
.ok{color:var(--op);font-weight:600}.fail{color:var(--out);font-weight:600}.na{color:var(--muted)}
.actions{display:flex;gap:8px;flex-wrap:wrap;margin-top:10px}
.actions form{display:flex;gap:6px;align-items:center}
.actions select{padding:5px 8px;font-size:.85rem}
.actions form.update{flex:1 1 100%}.update textarea{flex:1;min-width:0;padding:5px 8px;font-size:.85rem}
.flash{border-left:4px solid var(--accent)}
.timeline{margin:0;padding:10px 10px 10px 2rem}.timeline li{margin:.25rem 0}
.conds{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}.conds dt{color:var(--muted)}.conds dd{margin:0}
.stack-form{display:flex;flex-direction:column;gap:6px;margin-top:12px}.stack-form button{align-self:flex-start}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end}.filters label{display:flex;flex-direction:column;gap:4px;font-size:.8rem}
[aria-invalid=true]{border-color:var(--out)}
.settings{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end;margin-top:10px}.settings label{display:flex;flex-direction:column;gap:4px;font-size:.8rem}
@media (max-width:860px){.charts{grid-template-columns:1fr}.tiles{grid-template-columns:repeat(2,1fr)}}
`;
