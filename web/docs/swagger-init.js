// Starts Swagger UI on the document this server generates. persistAuthorization keeps the
// bearer token across reloads (in this browser's localStorage). Served from the binary (no internet).
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  persistAuthorization: true,
  deepLinking: true,
  tryItOutEnabled: false,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
