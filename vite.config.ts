import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// The web app lives in web/ and is built into dist/web, which wrangler serves as static
// assets (see wrangler.toml). The page's CSP (web/public/_headers) allows no inline
// scripts or styles, so everything must be emitted as files.
export default defineConfig({
  root: "web",
  plugins: [preact()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    // Inlined assets would become data: URLs; keep every script and stylesheet a file.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
  },
});
