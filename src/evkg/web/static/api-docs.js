// Starts Swagger UI (served from the fastapi-offline package at /docs/assets) on the
// OpenAPI schema of this server. Kept in a file because the pages allow no inline script.
window.addEventListener("load", function () {
  "use strict";
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // the default asks an outside validator for a badge
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
