// The web page (web/app): static files compiled into the binary, served at
// "/" and at each page's path so that a shared URL opens its page. The page
// calls the JSON API like any client; these routes need no key, the API does.

#include <httplib.h>

#include <string>

#include "server/api.h"

namespace exportctl::assets {
extern const unsigned char web_index_html[];
extern const std::size_t web_index_html_size;
extern const unsigned char web_app_js[];
extern const std::size_t web_app_js_size;
extern const unsigned char web_app_css[];
extern const std::size_t web_app_css_size;
extern const unsigned char chart_js[];
extern const std::size_t chart_js_size;
}  // namespace exportctl::assets

namespace exportctl::server {

namespace {

void serve(httplib::Response& res, const unsigned char* data, std::size_t size, const char* type) {
  res.set_content(reinterpret_cast<const char*>(data), size, type);
  // Only this server's own scripts, styles and API: no inline script, no other origin.
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-cache");
}

}  // namespace

void install_pages(httplib::Server& svr) {
  const auto index = [](const httplib::Request&, httplib::Response& res) {
    serve(res, assets::web_index_html, assets::web_index_html_size, "text/html; charset=utf-8");
  };
  svr.Get("/", index);
  svr.Get(R"(/(check|classify|screen|rules|audit|impact))", index);
  svr.Get("/assets/app.js", [](const httplib::Request&, httplib::Response& res) {
    serve(res, assets::web_app_js, assets::web_app_js_size, "text/javascript; charset=utf-8");
  });
  svr.Get("/assets/app.css", [](const httplib::Request&, httplib::Response& res) {
    serve(res, assets::web_app_css, assets::web_app_css_size, "text/css; charset=utf-8");
  });
  svr.Get("/assets/chart.js", [](const httplib::Request&, httplib::Response& res) {
    serve(res, assets::chart_js, assets::chart_js_size, "text/javascript; charset=utf-8");
  });
}

}  // namespace exportctl::server
