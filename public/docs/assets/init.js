// Starts the API reference on /docs. A file rather than an inline script, so the page's
// Content-Security-Policy allows scripts from /docs/assets/ only. Default fonts would load
// from a third-party host; the system fonts are used instead.
Scalar.createApiReference("#app", { url: "/openapi.json", withDefaultFonts: false });
