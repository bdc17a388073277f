import AxeBuilder from "@axe-core/playwright";
import { expect, Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Fails the test when axe-core finds any WCAG 2.1 A/AA violation on the page. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/** The setup link the server printed at start. */
export function setupLinkFromLog(): string {
  const log = readFileSync(join(__dirname, "..", ".run", "server.log"), "utf8");
  const match = log.match(/https?:\/\/\S+\/setup\/[0-9a-f]{64}/);
  if (!match) throw new Error(`no setup link in the server log:\n${log}`);
  return new URL(match[0]).pathname;
}

/** Opens a page and waits until the wasm has hydrated it (clicks before that are lost). */
export async function open(page: Page, path: string) {
  await page.goto(path, { waitUntil: "networkidle" });
}
