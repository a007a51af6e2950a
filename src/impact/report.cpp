// report.html: one self-contained file drawn from summary.json. Tables are
// written here (readable without scripts); charts are drawn in the page by
// Chart.js, which the build compiles into the binary (web/package.json,
// cmake/embed.cmake), so the report opens offline with no external asset.

#include <string>

#include "core/json.h"
#include "impact/internal.h"

namespace exportctl::assets {
extern const unsigned char chart_js[];
extern const std::size_t chart_js_size;
}  // namespace exportctl::assets

namespace exportctl::impact {

using nlohmann::json;

namespace {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string number(const json& value) {
  if (value.is_number_unsigned() || value.is_number_integer()) return grouped(value.get<std::uint64_t>());
  return grouped_amount(value.get<double>());
}

std::string revenue_text(const json& revenue) {
  std::string out;
  for (const auto& [currency, amount] : revenue.items())
    out += (out.empty() ? "" : "<br>") + escape(currency) + " " + number(amount);
  return out.empty() ? "&mdash;" : out;
}

const char* kChangeLabels[][2] = {
    {"newly_required", "Newly required"}, {"tightened", "Tightened"}, {"freed", "Freed"}, {"eased", "Eased"},
    {"undetermined", "Undetermined"},     {"unchanged", "Unchanged"}};

const char* kStyle = R"(
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:21px}header p{margin:0;color:#c9d1e0}
main{max-width:1180px;margin:0 auto;padding:20px 28px 40px}
section{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:16px 20px;margin:0 0 18px}
h2{font-size:17px;margin:0 0 10px}table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceef2;vertical-align:top}th{font-weight:600;color:#4a5366}
td.n,th.n{text-align:right}.grid{display:grid;grid-template-columns:1fr 1fr;gap:18px}
.chart{position:relative;height:320px}.note{color:#5b6476;font-size:13px}.kind{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.warn{background:#fff6e0;border-color:#f0c36d}code{font-size:13px}
@media (max-width:900px){.grid{grid-template-columns:1fr}main{padding:12px}}
)";

// Draws the charts from the embedded summary; amounts in the ranking currency.
const char* kScript = R"(
(function(){
const s=JSON.parse(document.getElementById('summary').textContent);
const cur=s.ranking_currency;if(!cur||typeof Chart==='undefined')return;
const kinds=[['newly_required','Newly required','#c0392b'],['tightened','Tightened','#e67e22'],['undetermined','Undetermined','#8e7cc3'],['freed','Freed','#27ae60'],['eased','Eased','#7fb77e']];
const rev=(b)=>b&&b.revenue&&b.revenue[cur]?b.revenue[cur]:0;
const exposure=(v)=>rev(v.newly_required)+rev(v.tightened);
const fmt=(x)=>cur+' '+Number(x).toLocaleString('en-US',{maximumFractionDigits:0});
function stacked(id,map,keys,horizontal){
  const el=document.getElementById(id);if(!el)return;
  const sets=kinds.map(([k,label,color])=>({label,backgroundColor:color,data:keys.map(x=>rev(map[x]&&map[x][k]))})).filter(d=>d.data.some(v=>v>0));
  if(!sets.length){el.parentNode.innerHTML='<p class="note">No order changed on this view.</p>';return;}
  new Chart(el,{type:'bar',data:{labels:keys,datasets:sets},options:{indexAxis:horizontal?'y':'x',animation:false,maintainAspectRatio:false,
    scales:{x:{stacked:true,ticks:horizontal?{callback:(v)=>fmt(v)}:{}},y:{stacked:true,ticks:horizontal?{}:{callback:(v)=>fmt(v)}}},
    plugins:{tooltip:{callbacks:{label:(c)=>c.dataset.label+': '+fmt(c.raw)}}}}});
}
function top(map,n){return Object.keys(map).map(k=>[k,exposure(map[k])+rev(map[k].undetermined)+rev(map[k].freed)+rev(map[k].eased)]).filter(x=>x[1]>0).sort((a,b)=>b[1]-a[1]).slice(0,n).map(x=>x[0]);}
stacked('by_quarter',s.by_quarter,Object.keys(s.by_quarter).sort(),false);
stacked('by_chip',s.by_chip,top(s.by_chip,15),true);
stacked('by_destination',s.by_destination,top(s.by_destination,15),true);
const tc={};for(const c of s.top_customers)tc[c.customer]=c.by_change;
stacked('top_customers',tc,s.top_customers.map(c=>c.customer),true);
document.body.dataset.charts='drawn';
})();
)";

// Inserts a comma every three digits of the whole part of `digits` (which may end in ".dd").
std::string with_commas(std::string digits) {
  const std::size_t dot = digits.find('.');
  const std::size_t first = digits[0] == '-' ? 1 : 0;
  for (std::size_t i = dot == std::string::npos ? digits.size() : dot; i > first + 3; i -= 3)
    digits.insert(i - 3, ",");
  return digits;
}

}  // namespace

std::string grouped(std::uint64_t count) {
  return with_commas(std::to_string(count));
}

std::string grouped_amount(double amount) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", amount);
  return with_commas(buffer);
}

std::string render_html(const json& summary) {
  std::string h;
  h.reserve(assets::chart_js_size + 64 * 1024);
  const std::string before = summary.value("before", "");
  const std::string after = summary.value("after", "");
  const json& scenarios = summary["scenarios"];
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
  h += "<title>exportctl impact " + escape(before) + " &rarr; " + escape(after) + "</title><style>";
  h += kStyle;
  h += "</style></head><body>\n<header><h1>Impact of the rule change " + escape(before) + " &rarr; " +
       escape(after) + (scenarios.empty() ? "" : " (with what-if scenarios)") + "</h1><p>";
  h += number(summary["orders"]) + " orders decided under the rules as of each date";
  if (summary["skipped_rows"].get<std::uint64_t>() > 0)
    h += "; " + number(summary["skipped_rows"]) + " bad rows skipped";
  h += ". Exposure = orders newly needing a license plus orders whose review policy became "
       "stricter.</p></header>\n<main>\n";

  if (!scenarios.empty()) {
    h +=
        "<section class=\"warn\"><h2>Hypothetical rules</h2><p>The &ldquo;after&rdquo; side includes what-if "
        "scenario rules that are not in force:</p><ul>";
    for (const auto& s : scenarios)
      h += "<li><code>" + escape(s["id"].get<std::string>()) + "</code> " +
           escape(s["title"].get<std::string>()) + " (from " +
           escape(s["effective_from"].get<std::string>()) + ", " + escape(s["file"].get<std::string>()) +
           ")</li>";
    for (const auto& e : summary["scenario_effects"]) h += "<li>" + escape(e.get<std::string>()) + "</li>";
    h += "</ul></section>\n";
  }

  h += "<section><h2>Orders by change</h2><table><thead><tr><th>Change</th><th class=\"n\">Orders</th>"
       "<th class=\"n\">Units</th><th class=\"n\">Revenue</th></tr></thead><tbody>";
  for (const auto& [key, label] : kChangeLabels) {
    const json& b = summary["by_change"][key];
    h += std::string("<tr><td>") + label + "</td><td class=\"n\">" + number(b["orders"]) +
         "</td><td class=\"n\">" + number(b["units"]) + "</td><td class=\"n\">" + revenue_text(b["revenue"]) +
         "</td></tr>";
  }
  h += "</tbody></table>";
  const json& missing = summary["undetermined_missing"];
  if (!missing["before"].empty() || !missing["after"].empty()) {
    h += "<p class=\"note\">Undetermined orders wait for figures the data does not give (exportctl does not "
         "guess "
         "them): ";
    std::string parts;
    for (const char* side : {"before", "after"})
      for (const auto& [input, n] : missing[side].items())
        parts += (parts.empty() ? "" : "; ") + std::string(side) + ": " + escape(input) + " (" + number(n) +
                 " orders)";
    h += parts +
         ". A spec file with the figures (<code>spec:PATH</code> in the item column) settles them.</p>";
  }
  h += "</section>\n";

  const std::string currency =
      summary["ranking_currency"].is_string() ? summary["ranking_currency"].get<std::string>() : "";
  h += "<section><h2>Revenue by ship quarter and change" +
       (currency.empty() ? "" : " (" + escape(currency) + ")") +
       "</h2><div class=\"chart\"><canvas id=\"by_quarter\" role=\"img\" aria-label=\"Revenue by ship "
       "quarter and "
       "change\"></canvas></div></section>\n";
  h +=
      "<div class=\"grid\"><section><h2>By chip</h2><div class=\"chart\"><canvas id=\"by_chip\" role=\"img\" "
      "aria-label=\"Revenue by chip and change\"></canvas></div></section>";
  h += "<section><h2>By destination</h2><div class=\"chart\"><canvas id=\"by_destination\" role=\"img\" "
       "aria-label=\"Revenue by destination and change\"></canvas></div></section></div>\n";

  h += "<section><h2>Largest affected customers</h2><div class=\"chart\"><canvas id=\"top_customers\" "
       "role=\"img\" "
       "aria-label=\"Largest affected customers\"></canvas></div><table><thead><tr><th>Customer</th><th "
       "class=\"n\">Exposed orders</th><th class=\"n\">Exposed units</th><th class=\"n\">Exposed "
       "revenue</th></tr>"
       "</thead><tbody>";
  for (const auto& c : summary["top_customers"])
    h += "<tr><td>" + escape(c["customer"].get<std::string>()) + "</td><td class=\"n\">" +
         number(c["exposure"]["orders"]) + "</td><td class=\"n\">" + number(c["exposure"]["units"]) +
         "</td><td class=\"n\">" + revenue_text(c["exposure"]["revenue"]) + "</td></tr>";
  if (summary["top_customers"].empty()) h += "<tr><td colspan=\"4\">No customer is exposed.</td></tr>";
  h += "</tbody></table></section>\n";

  if (!summary["bad_rows"].empty()) {
    h += "<section class=\"warn\"><h2>Skipped rows</h2><p>" + number(summary["skipped_rows"]) +
         " rows were skipped; the first:</p><ul>";
    for (const auto& b : summary["bad_rows"])
      h += "<li>line " + number(b["line"]) + ": " + escape(b["error"].get<std::string>()) + "</li>";
    h += "</ul></section>\n";
  }
  h += "<section><h2>Data used</h2><table><tbody>";
  for (const char* side : {"before", "after"})
    for (const auto& [key, value] : summary["versions"][side].items())
      h += std::string("<tr><td>") + side + "</td><td>" + escape(key) + "</td><td><code>" +
           escape(value.is_string() ? value.get<std::string>() : value.dump()) + "</code></td></tr>";
  h += "</tbody></table><p class=\"note\">Made by exportctl impact. Each order was decided by the same "
       "engine as "
       "<code>exportctl check</code>; changes.csv gives every order's decision and the rules that decided "
       "it.</p>"
       "</section>\n</main>\n";

  // The summary as data for the charts; "</" is escaped so no string can end the script element.
  std::string data = dump_json(summary);
  for (std::size_t at = data.find("</"); at != std::string::npos; at = data.find("</", at + 3))
    data.replace(at, 2, "<\\/");
  h += "<script type=\"application/json\" id=\"summary\">" + data + "</script>\n<script>";
  h.append(reinterpret_cast<const char*>(assets::chart_js), assets::chart_js_size);
  h += "</script>\n<script>";
  h += kScript;
  h += "</script>\n</body></html>\n";
  return h;
}

}  // namespace exportctl::impact
