// The dashboard's whole stylesheet, inlined (with the page's CSP nonce): one request per page.
// Fonts: system UI first, then the common Simplified Chinese faces (macOS, Windows, Linux), so
// Chinese text never falls back to a serif face. Narrow screens: the header and its (grouped)
// navigation wrap; wide tables keep short cells on one line, give text cells a minimum width
// (Chinese would otherwise break after every character) and scroll inside their card, with a
// shadow at the edge that has more; never the page. Dates (views/when.tsx) stay on one line,
// and a contact's name in a table never breaks inside: a long one ends in an ellipsis, its
// whole text in the link's title (pages/contacts.tsx). Tables are 13 px with 6 px padding and
// numeric headers may wrap (never inside a Chinese word): the contacts list's twelve columns
// fit a 1280 px screen in both languages (test/dashboard-ui.test.ts).
// `details.more` (the contacts filters past search and grade, the bulk actions) is a disclosure
// on a phone; wider, where the browser can style `::details-content`, its fields are one row
// with the rest and its summary is hidden; a browser that cannot keeps the disclosure.
export const STYLES = `
:root{--fg:#1d2330;--muted:#5b6472;--line:#e5e7eb;--bg:#f7f8fa;--accent:#2f5bea;--hot:#b93d0c;--bad:#b42318;--good:#067647}
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:break-word}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:6px 10px;z-index:10}.skip:focus{left:8px}
header{display:flex;flex-wrap:wrap;align-items:center;gap:4px 18px;padding:8px 24px;background:#111827;color:#fff}
header a{color:#d1d5db;text-decoration:none}header a.on,header a:hover,header a:focus{color:#fff}header a.on{box-shadow:inset 0 -2px 0 #93c5fd}
header .brand{font-weight:700;color:#fff}header nav.main{display:flex;flex-wrap:wrap;gap:4px 16px;white-space:nowrap;min-width:0;flex:1 1 auto;padding:4px 0}
header .account{display:flex;align-items:center;gap:12px;margin-left:auto}header form{display:flex;align-items:center;gap:8px}
header .ws{color:#9ca3af;max-width:160px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
header button{background:none;border:1px solid #6b7280;color:#e5e7eb;border-radius:4px;padding:3px 10px;cursor:pointer;white-space:nowrap}
nav.langs{display:flex;flex-wrap:wrap;gap:2px 8px;font-size:12px;white-space:nowrap}
nav.sub{display:flex;flex-wrap:wrap;gap:4px 18px;margin:0 0 14px;padding-bottom:6px;border-bottom:1px solid var(--line);white-space:nowrap}
nav.sub a{text-decoration:none;color:var(--muted);padding:2px 0}nav.sub a:hover{color:var(--accent)}nav.sub a.on{color:var(--fg);font-weight:600;box-shadow:inset 0 -2px 0 var(--accent)}
ul.report-list{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(min(320px,100%),1fr));gap:16px}ul.report-list .card{margin:0}ul.report-list h2 a{text-decoration:none}nav.langs a[aria-current]{color:#fff;font-weight:600}
.login nav.langs{justify-content:flex-end}.login nav.langs a{color:var(--accent)}
main{max-width:1280px;margin:0 auto;padding:20px 24px}main:focus{outline:none}h1{font-size:22px;margin:4px 0 16px}h2{font-size:16px;margin:0 0 10px}h3{font-size:14px;margin:10px 0 6px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:16px}.cards>.card{margin-bottom:0}.cards{margin-bottom:16px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin-bottom:16px;overflow:auto;min-width:0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:6px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;white-space:nowrap}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th.num{white-space:normal;word-break:keep-all}
th a{color:inherit}th a[aria-sort]{color:var(--fg)}
a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
td button{white-space:nowrap}td.date{word-break:keep-all;white-space:nowrap}time{white-space:nowrap}
td.name a,td.clip span{display:inline-block;max-width:14em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;vertical-align:top}td.clip span{max-width:16em}td.clip.short span{max-width:12em}.banner{background:#fff4e5;border:1px solid #f5b14c;border-radius:8px;padding:10px 14px;margin-bottom:16px}.up{color:var(--bad)}.down{color:var(--good)}
.muted{color:var(--muted)}.small{font-size:12px}.error{color:var(--bad)}.ok{color:var(--good)}
.grade{display:inline-block;white-space:nowrap;min-width:44px;text-align:center;border-radius:10px;padding:0 8px;font-size:12px;background:#eef2ff;color:#3730a3}
.grade.top{background:#fff1e6;color:var(--hot)}
form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:12px}
details.more{flex-basis:100%}details.more>summary{font-weight:400;color:var(--accent)}.more-fields{display:flex;flex-wrap:wrap;gap:8px;align-items:end;padding-top:8px}
@supports selector(::details-content){@media (min-width:641px){details.more,details.more::details-content,.more-fields{display:contents}details.more>summary{display:none}details.more::details-content{content-visibility:visible}}}
label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}label.inline{flex-direction:row;align-items:center;gap:6px}
input,select,textarea,button{font:inherit;max-width:100%}input,select{padding:5px 8px;border:1px solid #94a3b8;border-radius:4px;background:#fff;color:var(--fg)}
button,.button{display:inline-block;background:#fff;color:var(--fg);border:1px solid #94a3b8;border-radius:4px;padding:5px 12px;cursor:pointer;text-decoration:none;font-size:14px}
button.primary,.button.primary{background:var(--accent);color:#fff;border-color:var(--accent)}button.danger{color:var(--bad);border-color:var(--bad)}
.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
textarea{width:100%;min-height:460px;font:12px/1.4 ui-monospace,Menlo,monospace;border:1px solid #94a3b8;border-radius:4px;padding:8px}
dl{display:grid;grid-template-columns:minmax(90px,max-content) 1fr;gap:4px 16px;margin:0}dt{color:var(--muted)}dd{margin:0;word-break:break-word}
.chart{max-width:100%;height:auto}.chart .bar{fill:var(--accent)}.chart .bar.top{fill:var(--hot)}.chart .axis{stroke:#9ca3af}.chart .tick{font-size:10px;fill:var(--muted)}
.chart .line{fill:none;stroke:var(--accent);stroke-width:2}.chart .dot{fill:var(--accent)}
ul.feed{list-style:none;padding:0;margin:0}ul.feed li{padding:6px 0;border-bottom:1px solid var(--line)}
ul.feed time{color:var(--muted);font-size:12px;margin-right:8px}
.login{max-width:380px;margin:10vh auto}.login input{width:100%}.pager{margin-top:12px;display:flex;gap:16px}
.gap{margin-top:14px}.empty{padding:18px;border:1px dashed #cbd5e1;border-radius:8px;background:#fbfcfe}
pre{white-space:pre-wrap;word-break:break-word;margin:0;font-size:12px}code{font-size:12px}
.error-page{max-width:620px;margin:6vh auto}
.scroll{overflow-x:auto;max-width:100%;background:linear-gradient(90deg,#fff 30%,#fff0) left/32px 100% no-repeat local,linear-gradient(270deg,#fff 30%,#fff0) right/32px 100% no-repeat local,radial-gradient(farthest-side at 0 50%,#0f172a26,#0f172a00) left/10px 100% no-repeat scroll,radial-gradient(farthest-side at 100% 50%,#0f172a26,#0f172a00) right/10px 100% no-repeat scroll}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
ul.views{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px 14px}ul.views li{display:flex;align-items:center;gap:4px}
form.inline{display:inline}button.link{background:none;border:0;color:var(--muted);padding:0 4px;cursor:pointer}
.bulk{margin-bottom:10px}form.filters.card{padding:12px}
.snippet{position:relative}.snippet pre{background:#0f172a;color:#e2e8f0;padding:12px;border-radius:6px;overflow-x:auto;white-space:pre}
.check{display:flex;align-items:center;gap:10px;padding:12px;border-radius:8px;background:#fffbeb;border:1px solid #fcd34d}.check.done{background:#ecfdf3;border-color:#6ce9a6}
.rule{border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin-bottom:10px;background:#fff}.rule.off{opacity:.75;background:#f8fafc}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:6px}[hidden]{display:none!important}fieldset{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:8px 10px}legend{font-size:12px;color:var(--muted)}
.panel-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(220px,100%),1fr));gap:12px}.stat{font-size:20px;font-weight:600}
textarea.small-code{min-height:120px}details>summary{cursor:pointer;font-weight:600}.nowrap{white-space:nowrap}
.kinds{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:8px}
@media (max-width:640px){header{padding:8px 12px}header nav.main{order:3;flex-basis:100%;gap:4px 14px}main{padding:14px 12px}h1{font-size:19px}.card{padding:12px}header .ws{display:none}
th,td{padding:6px}td{min-width:4.5em}td.num,td.date,td:has(>.grade),td:has(>input:only-child),td:has(>time){min-width:0}td:has(>time),td .ok,td .error{white-space:nowrap}.chart-empty{margin:8px 0}}
`
