import { defineConfig } from "vite";

// The built GUI goes into the Maven module's classes, so the jar carries it under /public and the
// backend (or `ursprung up`) serves it. In development `npm run dev` proxies /api to a backend.
export default defineConfig({
  build: {
    outDir: "target/classes/public",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 3000,
    proxy: { "/api": process.env.URSPRUNG_API ?? "http://127.0.0.1:3100" },
  },
  test: {
    include: ["src/**/*.test.ts"],
  },
});
