import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3300";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
for (const [w, h, name] of [[1280, 800, "wide"], [390, 844, "phone"], [800, 900, "mid"]]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: "nl-NL" });
  const p = await ctx.newPage();
  await p.goto(base + "/login");
  await p.getByLabel("E-mailadres").fill("coordinator@demo.klankbord.test");
  await p.getByLabel("Wachtwoord").fill("klankbord-demo");
  await p.getByRole("button", { name: "Log in" }).click();
  await p.waitForLoadState();
  await p.goto(base + "/meetings");
  await p.screenshot({ path: `/tmp/m-${name}.png` });
  await ctx.close();
}
await browser.close();
