// The API documentation page: Swagger UI from static/vendor, started from this file because
// the Content-Security-Policy allows no inline script. A signed-in editor's "Try it out"
// requests carry the page's CSRF token, as htmx requests do.
(function () {
  "use strict";
  window.addEventListener("DOMContentLoaded", function () {
    var node = document.getElementById("swagger-ui");
    var meta = document.querySelector('meta[name="csrf-token"]');
    window.SwaggerUIBundle({
      url: node.getAttribute("data-url"),
      domNode: node,
      deepLinking: true,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      requestInterceptor: function (request) {
        if (meta) request.headers["x-csrftoken"] = meta.getAttribute("content");
        return request;
      },
    });
  });
})();
