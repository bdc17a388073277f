import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, open, setupLinkFromLog, fromMenu } from "./helpers";

test.describe.configure({ mode: "serial" });

const coordinator = {
  panel: "Jongerenpanel Midden-Brabant",
  slug: "midden-brabant",
  name: "Noor Bakker",
  email: "noor@gemeente.example",
  password: "een lange zin als wachtwoord",
};

test("the landing page shows the panels and switches language, without any script", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  const scripts: string[] = [];
  page.on("request", (r) => ["script", "fetch", "xhr"].includes(r.resourceType()) && scripts.push(r.url()));

  await open(page, "/");
  await expect(page).toHaveTitle("Klankbord");
  await expect(page.locator("html")).toHaveAttribute("lang", "nl");
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /jeugdhulp/);
  await expect(page.getByRole("heading", { level: 1, name: "Klankbord" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Jongerenpanel Hart van Brabant (demo)" })).toBeVisible();
  await expect(page.getByText("Klankbord is nog niet ingericht")).toBeVisible();
  await expectNoAxeViolations(page);

  // The language switch is a link: it keeps the choice in a cookie and comes back here.
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "How it works" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "English" })).toHaveAttribute("aria-current", "true");
  await expect(page).toHaveURL(/\/$/);
  // The choice is remembered on the next visit (cookie), rendered by the server.
  await open(page, "/");
  await expect(page.getByRole("heading", { name: "How it works" })).toBeVisible();
  await page.getByRole("link", { name: "Nederlands" }).click();
  await expect(page.getByRole("heading", { name: "Zo werkt het" })).toBeVisible();
  expect(scripts, "no page loads a script").toEqual([]);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/landing-phone.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("the first coordinator sets up the panel through the one-time link", async ({ page }) => {
  const link = setupLinkFromLog();
  await open(page, link);
  await expect(page.getByRole("heading", { name: "Klankbord inrichten" })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel("Naam van het panel").fill(coordinator.panel);
  await page.getByLabel("Adres van de panelpagina").fill("Midden Brabant");
  await page.getByLabel("Je naam").fill(coordinator.name);
  await page.getByLabel("E-mailadres").fill(coordinator.email);
  await page.getByLabel("Wachtwoord", { exact: true }).fill("kort");
  await page.getByLabel("Wachtwoord nog een keer").fill("kort");
  await page.getByRole("button", { name: "Richt Klankbord in" }).click();

  // Every problem is named at its field, in Dutch; what was typed stays.
  await expect(page.getByText("Niet alles is goed ingevuld")).toBeVisible();
  await expect(page.getByText("Gebruik alleen kleine letters")).toBeVisible();
  await expect(page.getByText("Dit is te kort. Gebruik minstens 8 tekens.")).toBeVisible();
  await expect(page.getByLabel("Naam van het panel")).toHaveValue(coordinator.panel);
  await expect(page.getByLabel("Je naam")).toHaveValue(coordinator.name);
  await expect(page.getByLabel("Adres van de panelpagina")).toHaveAttribute("aria-invalid", "true");
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/setup-errors-phone.png", fullPage: true });

  await page.getByLabel("Adres van de panelpagina").fill(coordinator.slug);
  await page.getByLabel("Wachtwoord", { exact: true }).fill(coordinator.password);
  await page.getByLabel("Wachtwoord nog een keer").fill(coordinator.password);
  await page.getByRole("button", { name: "Richt Klankbord in" }).click();

  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { name: `Hoi ${coordinator.name}` })).toBeVisible();
  await expect(page.getByText(coordinator.panel).first()).toBeVisible();
  // On a phone the account and the less used links fold into the menu.
  await expect(page.getByRole("link", { name: "Vragen" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Uitloggen" })).toBeHidden();
  await page.locator("summary.site-menu__button").click();
  await expect(page.getByRole("button", { name: "Uitloggen" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.screenshot({ path: "test-results/home-phone.png", fullPage: true });

  // The link is spent.
  await open(page, link);
  await expect(page.getByText("Deze link werkt niet (meer)")).toBeVisible();
});

test("log out, then log in again with JavaScript", async ({ page }) => {
  await open(page, "/login");
  await expectNoAxeViolations(page);
  await page.getByLabel("E-mailadres").fill(coordinator.email);
  await page.getByLabel("Wachtwoord").fill("niet mijn wachtwoord");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText("horen niet bij elkaar");
  await expect(page.getByLabel("E-mailadres")).toHaveValue(coordinator.email);
  await expectNoAxeViolations(page);

  await page.getByLabel("Wachtwoord").fill(coordinator.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { name: `Hoi ${coordinator.name}` })).toBeVisible();

  // The public page of the new panel, reachable from the navigation.
  await fromMenu(page, "link", "Panelpagina");
  await expect(page).toHaveURL(new RegExp(`/p/${coordinator.slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: coordinator.panel })).toBeVisible();
  await expect(page.locator(".tag-list").getByText("Loon op Zand")).toBeVisible();
  await expectNoAxeViolations(page);

  await fromMenu(page, "button", "Uitloggen");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Inloggen" })).toBeVisible();
  // The session is gone on the server too.
  await open(page, "/home");
  await expect(page).toHaveURL(/\/login$/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same login works as a plain HTML form", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("E-mailadres").fill(coordinator.email);
    await page.getByLabel("Wachtwoord").fill("fout wachtwoord");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByText("horen niet bij elkaar")).toBeVisible();

    await page.getByLabel("E-mailadres").fill(coordinator.email);
    await page.getByLabel("Wachtwoord").fill(coordinator.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByRole("heading", { name: `Hoi ${coordinator.name}` })).toBeVisible();

    await fromMenu(page, "button", "Uitloggen");
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("link", { name: "Inloggen" })).toBeVisible();
  });
});

test("a demo member sees their own panel and contact person", async ({ page }) => {
  await open(page, "/login");
  await page.getByLabel("E-mailadres").fill("sam@demo.klankbord.test");
  await page.getByLabel("Wachtwoord").fill("klankbord-demo");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Hoi Sam" })).toBeVisible();
  await expect(page.getByText("Panellid").first()).toBeVisible();
  await expect(page.getByText("Noor de Vries")).toBeVisible();
  await expect(page.getByText("Er staat nu geen vraag open voor jouw mening.")).toBeVisible();
  await expectNoAxeViolations(page);
});
