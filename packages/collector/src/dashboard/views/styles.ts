// The dashboard's whole stylesheet, inlined (with the page's CSP nonce): one request per page.
export const STYLES = `
:root{--fg:#1d2330;--muted:#6b7280;--line:#e5e7eb;--bg:#f7f8fa;--accent:#2f5bea;--hot:#d9480f;--bad:#b42318}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;align-items:center;gap:20px;padding:10px 24px;background:#111827;color:#fff}
header a{color:#d1d5db;text-decoration:none}header a.on,header a:hover{color:#fff}
header .brand{font-weight:700;color:#fff;margin-right:12px}header form{margin-left:auto}
header button{background:none;border:1px solid #4b5563;color:#d1d5db;border-radius:4px;padding:3px 10px;cursor:pointer}
main{max-width:1180px;margin:0 auto;padding:20px 24px}h1{font-size:22px;margin:4px 0 16px}h2{font-size:16px;margin:0 0 10px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:16px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin-bottom:16px;overflow:auto}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
a{color:var(--accent)}.muted{color:var(--muted)}.error{color:var(--bad)}.ok{color:#067647}
.grade{display:inline-block;min-width:44px;text-align:center;border-radius:10px;padding:0 8px;font-size:12px;background:#eef2ff;color:#3730a3}
.grade.top{background:#fff1e6;color:var(--hot)}
form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:12px}
label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}
input,select,textarea,button{font:inherit}input,select{padding:5px 8px;border:1px solid #cbd5e1;border-radius:4px;background:#fff}
button.primary{background:var(--accent);color:#fff;border:0;border-radius:4px;padding:6px 14px;cursor:pointer}
textarea{width:100%;min-height:460px;font:12px/1.4 ui-monospace,Menlo,monospace;border:1px solid #cbd5e1;border-radius:4px;padding:8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:var(--muted)}dd{margin:0;word-break:break-word}
.chart .bar{fill:var(--accent)}.chart .bar.top{fill:var(--hot)}.chart .axis{stroke:#9ca3af}.chart .tick{font-size:10px;fill:var(--muted)}
.chart .line{fill:none;stroke:var(--accent);stroke-width:2}.chart .dot{fill:var(--accent)}
ul.feed{list-style:none;padding:0;margin:0}ul.feed li{padding:6px 0;border-bottom:1px solid var(--line)}
ul.feed time{color:var(--muted);font-size:12px;margin-right:8px}
.login{max-width:380px;margin:12vh auto}.login input{width:100%}.pager{margin-top:12px;display:flex;gap:16px}
.gap{margin-top:14px}
pre{white-space:pre-wrap;word-break:break-word;margin:0;font-size:12px}
`
