import { expect, test } from "@playwright/test";
import { decodePng, expectNoAxeViolations, login, open, waitForMail } from "./helpers";

test.describe.configure({ mode: "serial" });

const demoPassword = "klankbord-demo";
let questionUrl = "";

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
  await expect(marco.getByLabel("Waar kunnen jongeren nog invloed op hebben?")).toHaveValue("Wat we in de wachttijd aanbieden.");
  await expect(marco.getByLabel("Thema")).toHaveValue(/\d+/);
  // The page came back (a plain form post) scrolled to the form.
  await expect(marco).toHaveURL(/#form-save-question$/);
  await expectNoAxeViolations(marco);

  const nextYear = new Date().getFullYear() + 1;
  await marco.getByLabel("Advies nodig op").fill(`${nextYear}-03-01`);
  await marco.getByLabel("Tilburg").check();
  await marco.getByLabel("Dongen").check();
  await marco.getByRole("button", { name: "Sla de vraag op" }).click();
  await expect(marco.getByRole("heading", { level: 1, name: "Wat helpt als je moet wachten op hulp?" })).toBeVisible();
  await expect(marco.locator("#question-state")).toContainText("Concept");
  await expect(marco.getByText("Dongen, Tilburg")).toBeVisible();
  questionUrl = new URL(marco.url()).pathname;
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

test("young people give and endorse input, the coordinator sends advice, and the policy maker reads it without the pseudonymous name", async ({
  browser,
}) => {
  // Five people in turn, with accessibility checks: longer than the default minute.
  test.setTimeout(180_000);
  expect(questionUrl).not.toBe("");
  const context = async (email: string) => {
    const c = await browser.newContext();
    const p = await c.newPage();
    await login(p, email, demoPassword);
    await expect(p).toHaveURL(/\/home$/);
    return p;
  };
  const noor = await context("coordinator@demo.klankbord.test");
  await open(noor, questionUrl);
  await noor.getByRole("button", { name: "Open voor meningen" }).click();
  await expect(noor.locator("#question-state")).toContainText("Jongeren geven hun mening");

  // Sam gives input without showing his name; Lina shows hers.
  const sam = await context("sam@demo.klankbord.test");
  await open(sam, questionUrl);
  await sam.getByRole("button", { name: "Geef je mening" }).click();
  await expect(sam.getByText("Vul dit in.")).toBeVisible();
  await sam.getByLabel("Jouw mening").fill("Iemand om mee te praten terwijl ik wacht. Dat had ik nodig.");
  await sam.getByLabel("Mijn woorden mogen letterlijk worden geciteerd").check();
  await sam.getByRole("button", { name: "Geef je mening" }).click();
  await expect(sam.locator("#input-1 p.preserve-lines")).toContainText("Iemand om mee te praten terwijl ik wacht.");
  // Sent once: the field is empty again and the page says so.
  await expect(sam.getByText("Je mening is verstuurd. Dank je!")).toBeVisible();
  await expect(sam.locator("#body")).toHaveValue("");
  await expectNoAxeViolations(sam);

  const lina = await context("lina@demo.klankbord.test");
  await open(lina, questionUrl);
  await lina.getByLabel("Jouw mening").fill("Weten hoe lang het nog duurt.");
  await lina.getByLabel("Beleidsmakers mogen mijn naam zien").check();
  await lina.getByRole("button", { name: "Geef je mening" }).click();
  await expect(lina.locator("#input-2")).toContainText("Weten hoe lang het nog duurt.");
  // Lina recognises Sam's input; once.
  await lina.locator("#input-1").getByRole("button", { name: "Ik herken dit" }).click();
  await expect(lina.locator("#input-1")).toContainText("1 jongere(n) herkennen dit");
  await expect(lina.locator("#input-1").getByRole("button", { name: "Ik herken dit" })).toHaveCount(0);

  // The coordinator adds what was said at the meeting, for the group (no names).
  await open(noor, questionUrl);
  await noor.getByLabel("Mening namens de groep").fill("Op de bijeenkomst: wachten voelt als aan je lot overgelaten worden.");
  await noor.getByRole("button", { name: "Noteer namens de groep" }).click();
  await expect(noor.locator("#input-3")).toContainText("namens de groep");

  // The coordinator closes input and writes the advice with two recommendations.
  await noor.getByRole("button", { name: "Sluit meningen en schrijf het advies" }).click();
  await expect(noor.getByRole("heading", { name: "Schrijf het advies" })).toBeVisible();
  await noor.getByLabel("Samenvatting").fill("Wachten is zwaar als je er alleen voor staat.");
  await noor.locator("#recommendation-1").fill("Geef iedereen die wacht een vast aanspreekpunt.");
  await noor.locator("#supported-1").fill("1, 7");
  await noor.locator("#recommendation-2").fill("Vertel eerlijk hoe lang het wachten nog duurt.");
  await noor.locator("#supported-2").fill("2");
  await noor.getByRole("button", { name: "Sla het advies op" }).click();
  await expect(noor.getByText("Gebruik de nummers van de meningen hierboven")).toBeVisible();
  await expect(noor.locator("#recommendation-2")).toHaveValue("Vertel eerlijk hoe lang het wachten nog duurt.");
  await noor.locator("#supported-1").fill("1");
  await noor.getByRole("button", { name: "Sla het advies op" }).click();
  await expect(noor.getByText("Het advies is opgeslagen.")).toBeVisible();
  await expectNoAxeViolations(noor);

  // Sam reads the draft and agrees with the first recommendation, with a comment.
  await open(sam, questionUrl);
  const first = sam.getByRole("region", { name: "Het advies van het panel" }).getByRole("listitem").first();
  await first.getByLabel("Eens", { exact: true }).check();
  await first.getByLabel("Opmerking (mag leeg)").fill("Ja, dit had ik nodig.");
  await first.getByRole("button", { name: "Geef je reactie" }).click();
  await expect(first.getByText("Panelleden: 1 eens, 0 oneens")).toBeVisible();
  await expectNoAxeViolations(sam);
  await open(noor, questionUrl);
  await expect(noor.getByText("Ja, dit had ik nodig.")).toBeVisible();

  await noor.getByRole("button", { name: "Stuur het advies" }).click();
  await expect(noor.locator("#question-state")).toContainText("Advies verstuurd");

  // The policy maker gets a mail and reads the advice; Sam's name is nowhere in the page.
  await waitForMail("beleid@demo.klankbord.test", "Advies van");
  const marco = await context("beleid@demo.klankbord.test");
  await open(marco, questionUrl);
  const advice = marco.getByRole("region", { name: "Het advies van het panel" });
  await expect(advice.getByText("Geef iedereen die wacht een vast aanspreekpunt.")).toBeVisible();
  await expect(advice.getByText("Vertel eerlijk hoe lang het wachten nog duurt.")).toBeVisible();
  await expect(advice.getByText("2 jongere(n) gaven hun mening.")).toBeVisible();
  await expect(marco.locator("#input-1")).toContainText("een jongere");
  await expect(marco.locator("#input-2")).toContainText("Lina");
  await expect(marco.locator("#input-3")).toContainText("namens de groep");
  const html = await marco.content();
  expect(html).not.toMatch(/\bSam\b/);
  await expectNoAxeViolations(marco);
  await marco.setViewportSize({ width: 390, height: 844 });
  await marco.screenshot({ path: "test-results/advice-phone.png", fullPage: true });
});

test("the policy maker answers both recommendations, the coordinator publishes the infographic, a member is mailed, reads and rates it, and the public page shows it", async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  expect(questionUrl).not.toBe("");
  const id = questionUrl.split("/").pop();
  const context = async (email: string) => {
    const c = await browser.newContext();
    const p = await c.newPage();
    await login(p, email, demoPassword);
    await expect(p).toHaveURL(/\/home$/);
    return p;
  };

  // The policy maker answers: comply or explain. Submitting without answers is refused
  // and keeps what was typed.
  const marco = await context("beleid@demo.klankbord.test");
  await open(marco, questionUrl);
  await marco.getByRole("link", { name: "Geef terugkoppeling" }).click();
  await expect(marco.getByRole("heading", { name: "Terugkoppeling op het advies" })).toBeVisible();
  await open(marco, `${questionUrl}/feedback`);
  await marco.locator("#explanation-1").fill("We geven iedereen op de wachtlijst een vaste contactpersoon bij het wijkteam.");
  await marco.getByRole("button", { name: "Verstuur naar het panel" }).click();
  await expect(marco.locator("#status-1-error")).toContainText("Vul dit in.");
  await expect(marco.locator("#explanation-1")).toHaveValue(/vaste contactpersoon/);
  await marco.locator("#status-1").selectOption("adopted");
  await marco.locator("#changes-1").fill("Vanaf maart weet je wie je kunt bellen terwijl je wacht.");
  await marco.locator("#status-2").selectOption("not_adopted");
  await marco.locator("#explanation-2").fill("We kunnen niet voor iedereen een precieze wachttijd geven.");
  await marco.getByLabel("Bericht aan het panel").fill("Dank jullie wel voor het eerlijke advies.");
  await marco.getByRole("button", { name: "Verstuur naar het panel" }).click();
  await expect(marco.locator("#reason-2-error")).toContainText("Vul dit in.");
  await marco.locator("#reason-2").fill("Zorgaanbieders geven die cijfers niet per persoon; we vragen het ze wel.");
  await marco.getByRole("button", { name: "Verstuur naar het panel" }).click();
  await expect(marco.getByText("Verstuurd. De coördinator is ingelicht.")).toBeVisible();
  await expectNoAxeViolations(marco);
  await marco.setViewportSize({ width: 390, height: 844 });
  await marco.screenshot({ path: "test-results/feedback-form-phone.png", fullPage: true });

  // The coordinator hears of it; closing before the infographic is published is refused.
  await waitForMail("coordinator@demo.klankbord.test", "Terugkoppeling ontvangen");
  const noor = await context("coordinator@demo.klankbord.test");
  await open(noor, questionUrl);
  await expect(noor.getByText("Niet overgenomen")).toBeVisible();
  await noor.getByRole("button", { name: "Sluit de vraag" }).click();
  await expect(noor.getByText("Een vraag kan pas gesloten worden als de infographic gepubliceerd is.")).toBeVisible();

  // The infographic: texts from the data, a quote only from input that may be quoted.
  await noor.getByRole("link", { name: "Maak de infographic" }).click();
  await expect(noor.getByRole("heading", { name: "Infographic maken" })).toBeVisible();
  await open(noor, `${questionUrl}/infographic`);
  await expect(noor.locator("#meaning")).toHaveValue(/Vanaf maart/);
  await expect(noor.getByLabel(/Weten hoe lang het nog duurt/)).toHaveCount(0);
  await noor.getByLabel(/Iemand om mee te praten/).check();
  await noor.getByLabel("Bos").check();
  await noor.getByRole("button", { name: "Sla op en bekijk voorbeeld" }).click();
  await expect(noor.getByText("Opgeslagen. Het voorbeeld is bijgewerkt.")).toBeVisible();
  const preview = noor.locator(".editor__preview");
  await expect(preview.getByText("„Iemand om mee te praten terwijl ik wacht. Dat had ik nodig.”")).toBeVisible();
  await expect(preview.locator(".infographic__status--adopted")).toContainText("Overgenomen");
  await expectNoAxeViolations(noor);
  await noor.getByRole("button", { name: "Publiceer" }).click();
  await expect(noor.getByText("Gepubliceerd. Iedereen die meedeed krijgt bericht.")).toBeVisible();
  await noor.screenshot({ path: "test-results/infographic-editor.png", fullPage: true });

  // Sam gave input: the mail reaches him; he opens the feedback and rates it.
  const mail = await waitForMail("sam@demo.klankbord.test", "Dit is er met jullie advies gedaan");
  const link = mail.text.match(/https?:\/\/\S+\/questions\/\d+/);
  expect(link).not.toBeNull();
  const sam = await context("sam@demo.klankbord.test");
  await open(sam, new URL(link![0]).pathname);
  const graphic = sam.getByRole("article", { name: "Wat er met jullie advies is gedaan" });
  await expect(graphic.getByText("Niet overgenomen")).toBeVisible();
  await expect(graphic.getByText(/Zorgaanbieders geven die cijfers niet per persoon/)).toBeVisible();
  await sam.getByRole("button", { name: "Geef je oordeel" }).click();
  await expect(sam.getByText("Kies een getal van 1 tot en met 5.")).toBeVisible();
  await sam.getByLabel("4", { exact: true }).check();
  await sam.getByLabel("Toelichting (mag leeg blijven)").fill("Duidelijk, al jammer van punt 2.");
  await sam.getByRole("button", { name: "Geef je oordeel" }).click();
  await expect(sam.getByText(/Bedankt! De beleidsmaker en de coördinator zien je oordeel/)).toBeVisible();
  await expectNoAxeViolations(sam);
  await sam.setViewportSize({ width: 390, height: 844 });
  await sam.screenshot({ path: "test-results/question-feedback-phone.png", fullPage: true });

  // The owner sees the rating, without the name.
  await open(marco, questionUrl);
  await expect(marco.getByText("1 beoordeling(en), gemiddeld 4,0 van 5.")).toBeVisible();

  // Anyone, without logging in: the panel's gallery and the infographic's stable page.
  const visitor = await (await browser.newContext()).newPage();
  await open(visitor, "/p/demo");
  await expect(visitor.locator("#overdue-count")).toContainText("Terugkoppelingen die te laat zijn: 0");
  await visitor.setViewportSize({ width: 390, height: 844 });
  await visitor.screenshot({ path: "test-results/panel-gallery-phone.png", fullPage: true });
  await visitor.setViewportSize({ width: 1280, height: 800 });
  await visitor.getByRole("link", { name: "Wat helpt als je moet wachten op hulp?" }).click();
  await expect(visitor).toHaveURL(new RegExp(`/p/demo/feedback/${id}$`));
  await expect(visitor.locator("article.infographic--forest")).toBeVisible();
  await expect(visitor.locator(".infographic__asked")).toContainText("Gevraagd door gemeente Tilburg op");
  // A first visit from a shared link, with an empty cache: the size budget of the public
  // infographic (scripts, wasm and CSS together, as transferred) is 120 KB.
  const firstVisit = await (await browser.newContext()).newPage();
  await open(firstVisit, `/p/demo/feedback/${id}`);
  const loaded = await firstVisit.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => {
      const r = e as PerformanceResourceTiming;
      return { url: r.name, type: r.initiatorType, bytes: r.transferSize };
    }),
  );
  const budgeted = loaded.filter((r) => /\.(js|wasm|css)(\?|$)/.test(r.url) || r.type === "script");
  const total = budgeted.reduce((sum, r) => sum + r.bytes, 0);
  expect(budgeted.some((r) => r.url.includes(".css")), "the stylesheet loads").toBe(true);
  expect(total, JSON.stringify(budgeted)).toBeLessThan(120 * 1024);
  await firstVisit.context().close();

  await open(visitor, `/p/demo/feedback/${id}`);
  await expect(visitor.getByRole("heading", { name: "Wat er met jullie advies is gedaan" })).toBeVisible();
  await expect(visitor.locator('meta[property="og:image"]')).toHaveAttribute("content", new RegExp(`/infographics/${id}\\.png$`));
  const html = await visitor.content();
  expect(html).not.toMatch(/\b(Sam|Lina|Jay|Daan)\b/);
  await expectNoAxeViolations(visitor);
  await visitor.setViewportSize({ width: 390, height: 844 });
  await visitor.screenshot({ path: "test-results/infographic-phone.png", fullPage: true });

  // The downloads: the SVG parses, the PNG decodes to the SVG's size.
  const svgResponse = await request.get(`/infographics/${id}.svg`);
  expect(svgResponse.status()).toBe(200);
  const svg = await svgResponse.text();
  const parsed = await visitor.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const root = doc.documentElement;
    return {
      error: doc.getElementsByTagName("parsererror").length,
      name: root.nodeName,
      width: root.getAttribute("width"),
      height: root.getAttribute("height"),
      text: root.textContent ?? "",
    };
  }, svg);
  expect(parsed.error).toBe(0);
  expect(parsed.name).toBe("svg");
  expect(parsed.width).toBe("1200");
  expect(parsed.text).toContain("Niet overgenomen");
  expect(parsed.text).toContain("Gevraagd door gemeente Tilburg op");
  const pngResponse = await request.get(`/infographics/${id}.png`);
  expect(pngResponse.status()).toBe(200);
  expect(pngResponse.headers()["content-type"]).toBe("image/png");
  const png = await pngResponse.body();
  const decoded = decodePng(png);
  expect(decoded.width).toBe(1200);
  expect(decoded.height).toBe(Math.ceil(Number(parsed.height)));

  // In English the downloads follow the page; printed, the page is the infographic on A4.
  await visitor.getByRole("link", { name: "English" }).click();
  await expect(visitor.getByRole("heading", { name: "What was done with your advice" })).toBeVisible();
  await expect(visitor.getByRole("link", { name: "Download as SVG" })).toHaveAttribute("href", `/infographics/${id}.svg?lang=en`);
  await expect(visitor.locator(".infographic__status--not_adopted")).toContainText("Not adopted");
  const english = await (await request.get(`/infographics/${id}.svg?lang=en`)).text();
  expect(english).toContain("Not adopted");
  await visitor.emulateMedia({ media: "print" });
  await visitor.setViewportSize({ width: 794, height: 1123 });
  await expect(visitor.locator("header.site-header")).toBeHidden();
  await expect(visitor.getByRole("link", { name: "Download as SVG" })).toBeHidden();
  const pdf = await visitor.pdf({ format: "A4", preferCSSPageSize: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  await visitor.screenshot({ path: "test-results/infographic-print.png", fullPage: true });

  // Now the question can be closed.
  await open(noor, questionUrl);
  await noor.getByRole("button", { name: "Sluit de vraag" }).click();
  await expect(noor.locator("#question-state")).toContainText("Afgerond");
});

test("after the answer: the owner carries out the adopted recommendation in dated updates until done, the member who gave input is told, and the public infographic shows the update", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  expect(questionUrl).not.toBe("");
  const id = questionUrl.split("/").pop();
  const marcoContext = await browser.newContext();
  const marco = await marcoContext.newPage();
  await login(marco, "beleid@demo.klankbord.test", demoPassword);
  await expect(marco).toHaveURL(/\/home$/);
  // The impact overview of this year: one answered question, one of its two
  // recommendations adopted, nothing carried out yet.
  await open(marco, "/impact");
  const progressTable = marco.locator("#impact-progress").locator("..").locator("table");
  const row = (table: ReturnType<typeof marco.locator>, name: string) => table.getByRole("row", { name: new RegExp(`^${name}`) });
  await expect(marco.locator("#impact-adoption")).toHaveText("50%");
  await expect(row(progressTable, "Nog geen update")).toContainText("1");
  await expect(row(progressTable, "Uitgevoerd")).toContainText("0");
  await open(marco, questionUrl);
  // Only the adopted recommendation is followed; the question is closed and still is.
  await expect(marco.locator(".progress-track")).toHaveCount(1);
  await expect(marco.getByText("Nog geen update over de uitvoering.")).toBeVisible();
  const inTwoMonths = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  const shown = inTwoMonths.split("-").reverse().join("-");

  // The form is folded away; the page comes back to it (open) after a save.
  const openUpdateForm = async () => {
    const details = marco.locator("details.progress-track__form");
    if (!(await details.evaluate((e) => (e as HTMLDetailsElement).open))) {
      await details.locator("summary").click();
    }
  };
  // A first update without a note is refused, and what was typed stays.
  await openUpdateForm();
  await marco.locator("#progress-1").selectOption("planned");
  await marco.locator("#expected-on-1").fill(inTwoMonths);
  await marco.getByRole("button", { name: "Sla de update op" }).click();
  await expect(marco.locator("#note-1-error")).toContainText("Vul dit in.");
  await expect(marco.locator("#expected-on-1")).toHaveValue(inTwoMonths);
  await marco.locator("#note-1").fill("We zoeken per wijkteam een vaste contactpersoon.");
  await marco.getByRole("button", { name: "Sla de update op" }).click();
  await expect(marco.getByText(/Update opgeslagen/)).toBeVisible();
  await expect(marco.locator(".progress-tag--planned")).toContainText("Gepland");
  await expect(marco.locator(".progress-track").getByText(`Verwacht klaar op ${shown}`)).toBeVisible();

  await openUpdateForm();
  await marco.locator("#progress-1").selectOption("in_progress");
  await marco.locator("#expected-on-1").fill(inTwoMonths);
  await marco.locator("#note-1").fill("Twee van de drie wijkteams zijn begonnen.");
  await marco.getByRole("button", { name: "Sla de update op" }).click();
  await expect(marco.locator(".progress-tag--in_progress")).toContainText("Bezig");

  await openUpdateForm();
  await marco.locator("#progress-1").selectOption("done");
  await marco.locator("#note-1").fill("Iedereen op de wachtlijst heeft nu een vaste contactpersoon.");
  await marco.getByRole("button", { name: "Sla de update op" }).click();
  await expect(marco.locator(".progress-tag--done")).toContainText("Uitgevoerd");
  // Done ends the track: no form any more.
  await expect(marco.getByText("Werk de uitvoering bij")).toHaveCount(0);
  await expect(marco.locator(".progress-track__updates li")).toHaveCount(3);
  await expectNoAxeViolations(marco);
  await marco.setViewportSize({ width: 390, height: 844 });
  await marco.locator("ol.responses").screenshot({ path: "test-results/progress-phone.png" });

  // The overview follows: the recommendation counts as done, and the number leads to
  // the question behind it.
  await marco.setViewportSize({ width: 1280, height: 800 });
  await open(marco, "/impact");
  await expect(row(progressTable, "Nog geen update")).toContainText("0");
  await row(progressTable, "Uitgevoerd").getByRole("link", { name: "1" }).click();
  await expect(marco).toHaveURL(/figure=progress-done/);
  await expect(marco.locator("#behind").getByRole("link")).toHaveAttribute("href", `/questions/${id}`);
  await expectNoAxeViolations(marco);
  await marco.setViewportSize({ width: 390, height: 844 });
  await marco.screenshot({ path: "test-results/impact-phone.png", fullPage: true });
  // A filter that does not exist gets a clear message, not an error page.
  await open(marco, "/impact?period=custom&from=2026-05-01&to=2026-04-01");
  await expect(marco.getByText("De laatste dag moet op of na de eerste dag liggen.")).toBeVisible();

  // Sam gave input: he is mailed, and his notifications say it.
  const mail = await waitForMail("sam@demo.klankbord.test", "Een aanbeveling is uitgevoerd");
  expect(mail.text).toMatch(new RegExp(`/questions/${id}`));
  const samContext = await browser.newContext();
  const sam = await samContext.newPage();
  await login(sam, "sam@demo.klankbord.test", demoPassword);
  await open(sam, "/notifications");
  await expect(sam.getByText(/Een aanbeveling is uitgevoerd: /)).toBeVisible();

  // Anyone: the panel's public page, filtered by the question's theme, shows its
  // infographic with the day of the update and the public figures.
  const visitor = await (await browser.newContext()).newPage();
  await open(visitor, "/p/demo");
  await visitor.getByLabel("Thema").selectOption({ label: "Wachttijden" });
  await visitor.getByRole("button", { name: "Toon" }).click();
  await expect(visitor).toHaveURL(/theme=\d+/);
  const item = visitor.locator(".gallery__item");
  await expect(item).toHaveCount(1);
  await expect(item.locator(".gallery__updated")).toContainText(/Bijgewerkt op \d\d-\d\d-\d{4}/);
  await expect(visitor.locator("#public-figures div").filter({ hasText: "Aanbevelingen uitgevoerd" }).locator("dd")).toHaveText("1");
  await expectNoAxeViolations(visitor);
  await visitor.setViewportSize({ width: 390, height: 844 });
  await visitor.screenshot({ path: "test-results/panel-public-phone.png", fullPage: true });
  await visitor.setViewportSize({ width: 1280, height: 800 });
  // A search that matches nothing says so.
  await open(visitor, "/p/demo?q=onvindbaar");
  await expect(visitor.getByText("Geen terugkoppeling gevonden met deze keuzes.")).toBeVisible();
  // The published infographic, not rewritten, with the dated update beside it.
  await open(visitor, "/p/demo");
  await item.getByRole("link").click();
  await expect(visitor).toHaveURL(new RegExp(`/p/demo/feedback/${id}$`));
  const update = visitor.locator(".infographic__update");
  await expect(update).toHaveCount(1);
  await expect(update).toContainText(/Update \d\d-\d\d-\d{4}: Uitgevoerd/);
  await expect(update).toContainText("Iedereen op de wachtlijst heeft nu een vaste contactpersoon.");
  await expect(visitor.locator(".infographic__footer")).toContainText("Gepubliceerd op");
  await expectNoAxeViolations(visitor);
  await visitor.setViewportSize({ width: 390, height: 844 });
  await visitor.locator(".infographic__items").screenshot({ path: "test-results/infographic-update-phone.png" });
});
