/**
 * The page's only stylesheet, inlined (the Content-Security-Policy allows inline styles and nothing
 * external). System fonts, a readable measure, tables that scroll sideways on a phone.
 */
export const REPORT_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#fff}
main{max-width:64rem;margin:0 auto;padding:1.5rem 1rem 4rem}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 .25rem;overflow-wrap:anywhere}
h2{font-size:1.3rem;margin:2.5rem 0 .75rem;padding-bottom:.3rem;border-bottom:1px solid #d8dee4}
h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
p,ul,ol,dl{margin:.5rem 0}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.875em}
pre{background:#f6f8fa;border:1px solid #d8dee4;border-radius:6px;padding:.6rem .75rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0}
.subtitle{color:#59636e;margin:0 0 1rem}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;font-size:.925rem}
.meta dt{color:#59636e}
.meta dd{margin:0;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem;margin:1rem 0}
.card{border:1px solid #d8dee4;border-radius:8px;padding:.6rem .8rem}
.card .value{display:block;font-size:1.45rem;font-weight:600;font-variant-numeric:tabular-nums}
.card .label{color:#59636e;font-size:.85rem}
.card.alert{border-color:#d55e00;background:#fff6f0}
.table-wrap{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.925rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{padding:.35rem .6rem;border-bottom:1px solid #e5e8eb;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #d0d7de;white-space:nowrap}
tbody tr:nth-child(even){background:#f9fafb}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.text,th.text{overflow-wrap:anywhere;min-width:8rem}
figure{margin:1rem 0}
figcaption{color:#59636e;font-size:.9rem;margin-top:.25rem}
/* Charts scale with the page; below a minimum width their text would be too small to read, so they scroll. */
.chart-scroll{overflow-x:auto}
svg.chart{display:block;width:100%;height:auto;min-width:30rem}
svg.chart-wide{min-width:40rem}
details{margin:.5rem 0}
summary{cursor:pointer;color:#0969da}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .4rem;border-radius:1rem;background:#fff1cc;color:#6b4b00;border:1px solid #e6c66b}
.anomalies>li{margin-bottom:1.25rem}
.empty{color:#59636e;font-style:italic}
.note{color:#59636e;font-size:.9em}
.grid-2{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:0 2rem}
footer{margin-top:3rem;color:#59636e;font-size:.85rem}
@media (max-width:40rem){body{font-size:15px}main{padding:1rem .75rem 3rem}h1{font-size:1.4rem}.meta{grid-template-columns:1fr}.meta dd{margin-bottom:.3rem}}
`.trim();
