import { defineConfig } from "@playwright/test";

const port = Number(process.env.KLANKBORD_E2E_PORT ?? 3100);

// Debian's Chromium, never a downloaded browser. One worker: the tests share one server.
export default defineConfig({
  testDir: "./tests",
  // Journeys with several people take a while on a shared two-core machine.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    headless: true,
    locale: "nl-NL",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    command: "bash serve.sh",
    url: `http://127.0.0.1:${port}/healthz`,
    // Journeys with several people take a while on a shared two-core machine.
  timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
