// The pages' one stylesheet, inlined (one round trip, no asset route). Colours are CSS
// variables so dark mode is one media query; state colours are never the only cue (each
// state also has a label). One rule a line here; the lines are joined when sent (bytes count).

export const BASE_CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#14181f;--muted:#59616e;--line:#e3e6eb;--soft:#f0f2f5;--accent:#2f5bd3;--op:#1a9f55;--deg:#d98a06;--out:#d63a3a;--nd:#c5cad3;--mark:#7a4fd1;--on-state:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#0e1116;--card:#161a21;--fg:#e7eaef;--muted:#9aa3b0;--line:#272d37;--soft:#1d222b;--accent:#86a6ff;--op:#34c274;--deg:#f2b233;--out:#f26b66;--nd:#3b424e;--mark:#b49bff;--on-state:#15171c}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,sans-serif}
a{color:var(--accent);text-underline-offset:2px}
h1,h2,h3{line-height:1.25;margin:0}
h1{font-size:1.6rem;letter-spacing:-.01em}
h2{font-size:.8rem;font-weight:600;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:2rem 0 .75rem}
.row>h2{margin-bottom:.75rem}
h3{font-size:1rem}
.wrap{max-width:780px;margin:0 auto;padding:0 16px}
header.top{padding-top:2.25rem;padding-bottom:1.25rem}
.muted{color:var(--muted)}
.small{font-size:.85rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px}
.stack>*+*{margin-top:12px}
ul.stack{list-style:none;margin:0;padding:0}.grp>ul{margin-top:8px}
.dot,.state::before{content:"";display:inline-block;width:.6em;height:.6em;border-radius:50%;margin-right:.45em;vertical-align:.05em;background:var(--nd)}
.operational .dot,.state.operational::before{background:var(--op)}
.degraded .dot,.state.degraded::before{background:var(--deg)}
.major_outage .dot,.state.major_outage::before{background:var(--out)}
.state.mnt::before{background:var(--mark)}.pill.mnt{background:var(--mark);color:var(--on-state)}
.mw p{margin:4px 0 0}.mt{white-space:pre-line;overflow-wrap:anywhere}
.banner{display:flex;align-items:center;gap:12px;flex-wrap:wrap;border-left:4px solid var(--nd)}
.banner strong{font-size:1.15rem}
.banner.operational{border-left-color:var(--op);background:color-mix(in srgb,var(--op) 7%,var(--card))}
.banner.degraded{border-left-color:var(--deg);background:color-mix(in srgb,var(--deg) 9%,var(--card))}
.banner.major_outage{border-left-color:var(--out);background:color-mix(in srgb,var(--out) 8%,var(--card))}
.banner .muted{margin-left:auto}
.row{display:flex;justify-content:space-between;align-items:baseline;gap:12px;flex-wrap:wrap}
.state{font-weight:500;white-space:nowrap}
.pill{display:inline-block;font-size:.75rem;font-weight:600;padding:1px 8px;border-radius:99px;background:var(--soft);color:var(--fg);white-space:nowrap}
.pill.open{background:var(--out);color:var(--on-state)}
.pill.warn{background:var(--deg);color:#111}
svg{display:block;overflow:visible}
.bars{display:flex;height:34px;margin:12px 0 4px;print-color-adjust:exact}
.bars i{--l:1;--c:var(--op);flex:var(--l);background:repeating-linear-gradient(90deg,var(--c) 0 calc(75%/var(--l)),#0000 0 calc(100%/var(--l)))}
.bars .d{--c:var(--deg)}.bars .m{--c:var(--out)}.bars .n{--c:var(--nd)}
.bars+p{font-size:.75rem;color:var(--muted);margin:0}
.nodata{font-size:.85rem;color:var(--muted);margin:14px 0 0;padding-top:12px;border-top:1px solid var(--line)}
.sparks{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin-top:14px;padding-top:12px;border-top:1px solid var(--line)}
.sparks figcaption{font-size:.75rem;color:var(--muted);display:flex;justify-content:space-between}
.sparks figcaption b{color:var(--fg);font-weight:600}
.sparks svg{width:100%;height:28px;margin-top:4px}
figure{margin:0}
.ln{fill:none;stroke:var(--accent);stroke-width:1.6;stroke-linejoin:round;stroke-linecap:round;vector-effect:non-scaling-stroke}
.timeline{list-style:none;margin:10px 0 0;padding:0 0 0 14px;border-left:2px solid var(--line);font-size:.875rem}
.timeline li{position:relative;margin:0 0 4px;white-space:pre-line;overflow-wrap:anywhere}
.timeline li::before{content:"";position:absolute;left:-19px;top:.55em;width:8px;height:8px;border-radius:50%;background:var(--muted)}
.timeline time{color:var(--muted);margin-right:6px;font-variant-numeric:tabular-nums}
.past h3{font-size:.8rem;color:var(--muted);font-weight:600;margin:10px 0 4px}.past h3:first-child{margin-top:0}
.past ul{list-style:none;margin:0;padding:0;font-size:.875rem}.past li{padding:3px 0}
footer.wrap{padding-top:2rem;padding-bottom:3rem;font-size:.85rem;color:var(--muted)}
footer a{color:var(--muted)}
@media (max-width:520px){h1{font-size:1.35rem}.sparks{grid-template-columns:1fr}.banner .muted{margin-left:0}}
`.replaceAll("\n", "");
