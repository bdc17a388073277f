import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login, open, waitForMail, fromMenu } from "./helpers";

test.describe.configure({ mode: "serial" });

const demoPassword = "klankbord-demo";

async function person(browser: import("@playwright/test").Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, email, demoPassword);
  await expect(page).toHaveURL(/\/home$/);
  return page;
}

test("a member proposes a theme, another supports it, the coordinator is notified and adopts it", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const lina = await person(browser, "lina@demo.klankbord.test");
  await fromMenu(lina, "link", "Thema's");
  await expect(lina.getByRole("heading", { level: 1, name: "Thema's" })).toBeVisible();
  await expect(lina.locator("#themes-adopted")).toContainText("Wachttijden");
  await expectNoAxeViolations(lina);

  // No name: refused at the field, and the reason typed stays.
  await lina.getByLabel("Waarom is dit belangrijk?").fill("Na je 18e moet je ineens alles zelf regelen.");
  await lina.getByRole("button", { name: "Stel voor" }).click();
  await expect(lina.getByText("Vul dit in.")).toBeVisible();
  await expect(lina.getByLabel("Waarom is dit belangrijk?")).toHaveValue("Na je 18e moet je ineens alles zelf regelen.");
  await lina.getByLabel("Naam van het thema").fill("Wonen na je 18e");
  await lina.getByRole("button", { name: "Stel voor" }).click();
  await expect(lina.getByText("Je voorstel staat erbij.")).toBeVisible();
  await expect(lina.locator("#themes-proposed")).toContainText("Wonen na je 18e");
  // One's own proposal can be supported like any other; once.
  await lina.locator("#themes-proposed li", { hasText: "Wonen na je 18e" }).getByRole("button", { name: "Ik steun dit" }).click();
  await expect(lina.locator("#themes-proposed li", { hasText: "Wonen na je 18e" })).toContainText("Je steunt dit");

  const sam = await person(browser, "sam@demo.klankbord.test");
  await open(sam, "/themes");
  const proposal = sam.locator("#themes-proposed li", { hasText: "Wonen na je 18e" });
  await proposal.getByRole("button", { name: "Ik steun dit" }).click();
  await expect(proposal).toContainText("Steun: 2");
  await expect(proposal.getByRole("button", { name: "Neem aan" })).toHaveCount(0);

  // The coordinator sees a notification (a number in the menu, a word for screen readers).
  const noor = await person(browser, "coordinator@demo.klankbord.test");
  await expect(noor.locator("#unread-count")).toHaveText(/^[1-9]\d*$/);
  await noor.getByRole("link", { name: /Meldingen/ }).click();
  await expect(noor.getByRole("heading", { level: 1, name: "Meldingen" })).toBeVisible();
  const notice = noor.locator("#notifications li", { hasText: "Nieuw thema voorgesteld: Wonen na je 18e" });
  await expect(notice).toContainText("Nieuw");
  await expectNoAxeViolations(noor);
  await notice.getByRole("link").click();
  await expect(noor).toHaveURL(/\/themes$/);
  await expect(noor.locator("#unread-count")).toHaveCount(0);
  await noor.locator("#themes-proposed li", { hasText: "Wonen na je 18e" }).getByRole("button", { name: "Neem aan" }).click();
  await expect(noor.locator("#themes-adopted")).toContainText("Wonen na je 18e");
  await expectNoAxeViolations(noor);
  await noor.setViewportSize({ width: 390, height: 844 });
  await noor.screenshot({ path: "test-results/themes-phone.png", fullPage: true });
  await noor.context().close();
  await sam.context().close();
  await lina.context().close();
});

test("a member raises a subject; the coordinator assigns it; the policy maker takes it on; input opens with a last day; search finds it", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const sam = await person(browser, "sam@demo.klankbord.test");
  await sam.getByRole("link", { name: "Vragen" }).click();
  await sam.getByRole("link", { name: "Stel zelf een onderwerp voor" }).click();
  await expect(sam.getByRole("heading", { level: 1, name: "Onderwerp van het panel" })).toBeVisible();
  await expect(sam.getByLabel("Advies nodig op")).toHaveCount(0);
  await sam.getByLabel("Titel").fill("Maanden wachten op het wijkteam");
  await sam.getByLabel("Waar gaat het over?").fill("Jongeren wachten maanden op een eerste gesprek met het wijkteam.");
  await sam.getByLabel("Achtergrond").fill("## Wat we horen\n\n- Je belt en hoort **niets** terug.\n- Je weet niet bij wie je moet zijn.");
  await sam.getByLabel("Thema").selectOption({ label: "Wachttijden" });
  await sam.getByRole("button", { name: "Sla de vraag op" }).click();
  await expect(sam.getByText("Kies er minstens één.")).toBeVisible();
  await expect(sam.getByLabel("Titel")).toHaveValue("Maanden wachten op het wijkteam");
  await sam.getByLabel("Waalwijk").check();
  await sam.getByRole("button", { name: "Sla de vraag op" }).click();
  await expect(sam.getByRole("heading", { level: 1, name: "Maanden wachten op het wijkteam" })).toBeVisible();
  await expect(sam.locator("#question-state")).toContainText("Voorgesteld door het panel");
  // The background is shown with its markup, as safe HTML.
  await expect(sam.locator(".rich-text h3")).toHaveText("Wat we horen");
  await expect(sam.locator(".rich-text strong")).toHaveText("niets");
  await expectNoAxeViolations(sam);
  const subjectUrl = new URL(sam.url()).pathname;

  // The coordinator assigns it to Marco; choosing nobody is refused.
  const noor = await person(browser, "coordinator@demo.klankbord.test");
  await open(noor, subjectUrl);
  await expect(noor.getByRole("heading", { name: "Wie pakt dit op?" })).toBeVisible();
  await expectNoAxeViolations(noor);
  await noor.getByRole("button", { name: "Wijs toe" }).click();
  await expect(noor.getByText("Kies er minstens één.")).toBeVisible();
  await noor.getByLabel("Beleidsmaker").selectOption({ label: "Marco Jansen (Tilburg)" });
  await noor.getByRole("button", { name: "Wijs toe" }).click();
  await expect(noor.locator("#question-state")).toContainText("Bij een beleidsmaker");

  // Marco hears of it by mail and in the app, and takes it on.
  await waitForMail("beleid@demo.klankbord.test", "Onderwerp voor jou om op te pakken");
  const marco = await person(browser, "beleid@demo.klankbord.test");
  await open(marco, "/notifications");
  await marco.locator("#notifications li", { hasText: "Maanden wachten op het wijkteam" }).getByRole("link").click();
  await expect(marco.locator("dt", { hasText: "Voorgesteld door" })).toBeVisible();
  await expect(marco.locator("dd", { hasText: "het panel" })).toBeVisible();
  expect(await marco.content()).not.toMatch(/\bSam\b/);
  await marco.getByRole("button", { name: "Ik pak dit op" }).click();
  await expect(marco.locator("#question-state")).toContainText("Aangenomen");

  // Input opens with a last day; members see until when.
  await open(noor, subjectUrl);
  await noor.getByLabel("Laatste dag voor meningen").fill("2001-01-01");
  await noor.getByRole("button", { name: "Open voor meningen" }).click();
  await expect(noor.getByText("Deze datum is al geweest")).toBeVisible();
  const nextYear = new Date().getFullYear() + 1;
  await noor.getByLabel("Laatste dag voor meningen").fill(`${nextYear}-01-15`);
  await noor.getByRole("button", { name: "Open voor meningen" }).click();
  await expect(noor.locator("#question-state")).toContainText("Jongeren geven hun mening");
  await open(sam, subjectUrl);
  await expect(sam.locator("#input-closing")).toContainText(`Je kunt je mening geven tot en met 15-01-${nextYear}.`);

  // Search finds it by the start of a word; filters narrow it down.
  await open(noor, "/questions");
  await noor.getByLabel("Zoek").fill("wijkte");
  await noor.getByRole("button", { name: "Toon" }).click();
  await expect(noor).toHaveURL(/q=wijkte/);
  await expect(noor.getByRole("link", { name: "Maanden wachten op het wijkteam" })).toBeVisible();
  await noor.getByLabel("Gemeente").selectOption({ label: "Dongen" });
  await noor.getByRole("button", { name: "Toon" }).click();
  await expect(noor.getByText("Geen vragen gevonden.")).toBeVisible();
  await expectNoAxeViolations(noor);

  // Close the round again, so the demo members' home pages have nothing open.
  await open(noor, subjectUrl);
  await noor.getByRole("button", { name: "Sluit meningen en schrijf het advies" }).click();
  await expect(noor.getByRole("heading", { name: "Schrijf het advies" })).toBeVisible();
  await sam.setViewportSize({ width: 390, height: 844 });
  await open(sam, subjectUrl);
  await sam.screenshot({ path: "test-results/subject-phone.png", fullPage: true });
  for (const p of [sam, noor, marco]) await p.context().close();
});
