import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login, open } from "./helpers";

test.describe.configure({ mode: "serial" });

const demoPassword = "klankbord-demo";

test("a policy maker asks a question; the coordinator returns it, then accepts it; members see it", async ({
  browser,
}) => {
  const marcoContext = await browser.newContext();
  const marco = await marcoContext.newPage();
  await login(marco, "beleid@demo.klankbord.test", demoPassword);
  await expect(marco.getByRole("heading", { name: "Hoi Marco Jansen" })).toBeVisible();
  await marco.getByRole("link", { name: "Vragen" }).click();
  await marco.getByRole("link", { name: "Stel een vraag aan het panel" }).click();
  await expect(marco.getByRole("heading", { name: "Vraag aan het panel" })).toBeVisible();
  await expectNoAxeViolations(marco);

  // Bad input: a date in the past and no municipality. The messages are at the fields;
  // what was typed stays.
  await marco.getByLabel("Titel").fill("Wat helpt als je moet wachten op hulp?");
  await marco.getByLabel("De vraag", { exact: true }).fill("Wat zou je helpen terwijl je wacht op jeugdhulp?");
  await marco.getByLabel("Waar kunnen jongeren nog invloed op hebben?").fill("Wat we in de wachttijd aanbieden.");
  await marco.getByLabel("Advies nodig op").fill("2020-01-01");
  await marco.getByLabel("Thema").selectOption({ label: "Wachttijden" });
  await marco.getByRole("button", { name: "Sla de vraag op" }).click();
  await expect(marco.getByText("Deze datum is al geweest")).toBeVisible();
  await expect(marco.getByText("Kies er minstens één.")).toBeVisible();
  await expect(marco.getByLabel("Titel")).toHaveValue("Wat helpt als je moet wachten op hulp?");
  await expectNoAxeViolations(marco);

  const nextYear = new Date().getFullYear() + 1;
  await marco.getByLabel("Advies nodig op").fill(`${nextYear}-03-01`);
  await marco.getByLabel("Tilburg").check();
  await marco.getByLabel("Dongen").check();
  await marco.getByRole("button", { name: "Sla de vraag op" }).click();
  await expect(marco.getByRole("heading", { level: 1, name: "Wat helpt als je moet wachten op hulp?" })).toBeVisible();
  await expect(marco.locator("#question-state")).toContainText("Concept");
  await expect(marco.getByText("Dongen, Tilburg")).toBeVisible();
  const questionUrl = new URL(marco.url()).pathname;
  await marco.getByRole("button", { name: "Dien de vraag in" }).click();
  await expect(marco.locator("#question-state")).toContainText("Ingediend");

  // The coordinator sends it back, with a reason (which is required).
  const noorContext = await browser.newContext();
  const noor = await noorContext.newPage();
  await login(noor, "coordinator@demo.klankbord.test", demoPassword);
  await expect(noor.getByRole("heading", { name: "Hoi Noor de Vries" })).toBeVisible();
  await open(noor, "/questions?state=submitted");
  await noor.getByRole("link", { name: "Wat helpt als je moet wachten op hulp?" }).click();
  await expect(noor.getByRole("button", { name: "Neem de vraag aan" })).toBeVisible();
  await expectNoAxeViolations(noor);
  await noor.getByRole("button", { name: "Stuur terug" }).click();
  await expect(noor.getByText("Vul dit in.")).toBeVisible();
  await noor.getByLabel("Waarom stuur je de vraag terug?").fill("Zeg erbij om welke hulp het gaat.");
  await noor.getByRole("button", { name: "Stuur terug" }).click();
  await expect(noor.locator("#question-state")).toContainText("Teruggestuurd");

  // The policy maker sees why, changes the question and submits it again.
  await open(marco, questionUrl);
  await expect(marco.getByText("Zeg erbij om welke hulp het gaat.").first()).toBeVisible();
  await marco.getByRole("link", { name: "Pas de vraag aan" }).click();
  await expect(marco.getByLabel("Tilburg")).toBeChecked();
  await marco.getByLabel("De vraag", { exact: true }).fill("Wat zou je helpen terwijl je wacht op hulp van een jeugdhulpverlener?");
  await marco.getByRole("button", { name: "Sla de vraag op" }).click();
  await marco.getByRole("button", { name: "Dien de vraag in" }).click();
  await expect(marco.locator("#question-state")).toContainText("Ingediend");

  // The coordinator accepts it.
  await open(noor, questionUrl);
  await noor.getByRole("button", { name: "Neem de vraag aan" }).click();
  await expect(noor.locator("#question-state")).toContainText("Aangenomen");
  await expect(noor.getByRole("region", { name: "Tijdlijn" }).getByText("Teruggestuurd")).toBeVisible();
  await noorContext.close();
  await marcoContext.close();

  // A member now sees it, read-only.
  const samContext = await browser.newContext();
  const sam = await samContext.newPage();
  await login(sam, "sam@demo.klankbord.test", demoPassword);
  await expect(sam.getByRole("heading", { name: "Hoi Sam" })).toBeVisible();
  await sam.getByRole("link", { name: "Vragen" }).click();
  await sam.getByRole("link", { name: "Wat helpt als je moet wachten op hulp?" }).click();
  await expect(sam.getByText("van een jeugdhulpverlener")).toBeVisible();
  await expect(sam.getByRole("button", { name: "Neem de vraag aan" })).toHaveCount(0);
  await expectNoAxeViolations(sam);
  await sam.setViewportSize({ width: 390, height: 844 });
  await sam.screenshot({ path: "test-results/question-phone.png", fullPage: true });
  await samContext.close();
});
