import { expect, test, Page } from "@playwright/test";
import ICAL from "ical.js";
import { expectNoAxeViolations, login, open, waitForMail } from "./helpers";

test.describe.configure({ mode: "serial" });
// Long journeys with several people; the default minute is not enough on a busy machine.
test.setTimeout(240_000);

const demoPassword = "klankbord-demo";
const questionTitle = "Hoe maken we de jeugdhulp in Tilburg makkelijker te vinden?";

/** `yyyy-mm-dd` of a date, as `<input type="date">` takes it. */
function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The clock time in Amsterdam of an iCalendar date-time, as `HH:MM`. */
function amsterdamTime(time: ICAL.Time): string {
  return new Intl.DateTimeFormat("nl-NL", {
    timeZone: "Europe/Amsterdam",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(time.toJSDate());
}

/** Every VEVENT of an .ics text, parsed by ical.js (an independent RFC 5545 parser). */
function events(ics: string): ICAL.Event[] {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
}

async function askAndAccept(marco: Page, noor: Page) {
  await open(marco, "/questions/new");
  await marco.getByLabel("Titel").fill(questionTitle);
  await marco.getByLabel("Achtergrond").fill("Veel jongeren weten niet **waar** ze terecht kunnen.");
  await marco.getByLabel("De vraag", { exact: true }).fill("Waar zoeken jullie als je hulp nodig hebt?");
  await marco.getByLabel("Waar kunnen jongeren nog invloed op hebben?").fill("De website en de folders.");
  await marco.getByLabel("Advies nodig op").fill(`${new Date().getFullYear() + 1}-06-01`);
  await marco.getByLabel("Thema").selectOption({ label: "Wachttijden" });
  await marco.getByLabel("Tilburg").check();
  await marco.getByRole("button", { name: "Sla de vraag op" }).click();
  await expect(marco.getByRole("heading", { level: 1, name: questionTitle })).toBeVisible();
  await marco.getByRole("button", { name: "Dien de vraag in" }).click();
  await expect(marco.locator("#question-state")).toContainText("Ingediend");
  const path = new URL(marco.url()).pathname;
  await open(noor, path);
  await noor.getByRole("button", { name: "Neem de vraag aan" }).click();
  await expect(noor.locator("#question-state")).toContainText("Aangenomen");
}

test("the coordinator plans the evenings and invites a policy maker as guest; members answer and subscribe to the calendar", async ({
  browser,
}) => {
  const noorContext = await browser.newContext();
  const noor = await noorContext.newPage();
  await login(noor, "coordinator@demo.klankbord.test", demoPassword);
  await expect(noor.getByRole("heading", { name: "Hoi Noor de Vries" })).toBeVisible();
  const marcoContext = await browser.newContext();
  const marco = await marcoContext.newPage();
  await login(marco, "beleid@demo.klankbord.test", demoPassword);
  await expect(marco.getByRole("heading", { name: "Hoi Marco Jansen" })).toBeVisible();
  await askAndAccept(marco, noor);

  // No meetings yet: the page says what to do.
  await noor.getByRole("link", { name: "Avonden" }).click();
  await expect(noor.getByRole("heading", { level: 1, name: "Panelavonden" })).toBeVisible();
  await expect(noor.getByText("Er is nog geen avond gepland. Plan hieronder een reeks")).toBeVisible();
  await expectNoAxeViolations(noor);

  // Bad input: a first evening in the past and an end before the start. The messages are
  // at the fields and what was typed stays.
  const series = noor.locator("#series-form");
  await series.getByLabel("Eerste avond").fill("2020-01-07");
  await series.getByLabel("Eindtijd").fill("18:00");
  await series.getByLabel("Tot en met").fill("2020-06-01");
  await series.getByLabel("Adres").fill("Stadskantoor Tilburg, Stadhuisplein 130");
  await series.getByRole("button", { name: "Plan de reeks" }).click();
  await expect(noor.getByText("De eindtijd moet na de begintijd liggen.")).toBeVisible();
  await expect(series.getByLabel("Adres")).toHaveValue("Stadskantoor Tilburg, Stadhuisplein 130");

  // Every three weeks on a Tuesday, for almost a year: across both clock changes.
  const first = new Date();
  first.setUTCDate(first.getUTCDate() + 7);
  while (first.getUTCDay() !== 2) first.setUTCDate(first.getUTCDate() + 1);
  const until = new Date(first);
  until.setUTCDate(until.getUTCDate() + 350);
  await series.getByLabel("Eerste avond").fill(iso(first));
  await series.getByLabel("Eindtijd").fill("21:00");
  await series.getByLabel("Tot en met").fill(iso(until));
  await series.getByRole("button", { name: "Plan de reeks" }).click();
  const upcoming = noor.locator("#meetings-upcoming > li");
  await expect(upcoming).toHaveCount(17);
  await expect(upcoming.first()).toContainText("dinsdag");
  await expect(upcoming.first()).toContainText("19:00–21:00");
  await expectNoAxeViolations(noor);
  await noor.setViewportSize({ width: 390, height: 844 });
  await noor.screenshot({ path: "test-results/meetings-phone.png", fullPage: true });
  await noor.setViewportSize({ width: 1280, height: 900 });

  // The first evening: the question on the agenda, with its policy maker as guest.
  await upcoming.first().getByRole("link").click();
  await expect(noor.getByRole("heading", { level: 1, name: "Panelavond" })).toBeVisible();
  const meetingPath = new URL(noor.url()).pathname;
  const agendaForm = noor.locator("#agenda-form");
  await agendaForm.getByLabel("Over welke vraag?").selectOption({ label: `${questionTitle} (Marco Jansen)` });
  await agendaForm.getByLabel("Hoeveel minuten").fill("45");
  await agendaForm.getByLabel("Gast").selectOption({ label: "Marco Jansen (Tilburg)" });
  await agendaForm.getByRole("button", { name: "Zet op de agenda" }).click();
  await expect(noor.locator("#agenda")).toContainText(questionTitle);
  await expect(noor.locator("#agenda")).toContainText("Gast: Marco Jansen");
  await agendaForm.getByLabel("Onderwerp").fill("Rondvraag");
  await agendaForm.getByLabel("Over welke vraag?").selectOption({ label: "Geen vraag" });
  await agendaForm.getByLabel("Gast").selectOption({ label: "Geen gast" });
  await agendaForm.getByLabel("Hoeveel minuten").fill("15");
  await agendaForm.getByRole("button", { name: "Zet op de agenda" }).click();
  await expect(noor.locator("#agenda > li")).toHaveCount(2);
  await expectNoAxeViolations(noor);

  // The invitation reaches the policy maker at the SMTP server, with the meeting as .ics.
  const invitation = await waitForMail("beleid@demo.klankbord.test", "Uitnodiging: panelavond");
  expect(invitation.text).toContain(questionTitle);
  const invited = events(invitation.calendar);
  expect(invited).toHaveLength(1);
  expect(amsterdamTime(invited[0].startDate)).toBe("19:00");
  expect(amsterdamTime(invited[0].endDate)).toBe("21:00");
  expect(invited[0].location).toContain("Stadskantoor Tilburg");

  // The guest sees the agenda and how many come, but no names; he answers.
  await open(marco, meetingPath);
  await expect(marco.locator("#agenda")).toContainText(questionTitle);
  await marco.getByRole("button", { name: "Ik kom" }).click();
  await expect(marco.locator("#my-answer")).toContainText("Ik kom");
  await expect(marco.locator("#answer-counts")).toContainText("Komen: 1");
  await expect(marco.locator("#invitees")).toHaveCount(0);
  expect(await marco.content()).not.toContain("Sam");
  await expectNoAxeViolations(marco);

  // A member: the next evening is on the home page; the agenda shows the background.
  const samContext = await browser.newContext();
  const sam = await samContext.newPage();
  await login(sam, "sam@demo.klankbord.test", demoPassword);
  await expect(sam.locator("#next-meetings > li")).toHaveCount(3);
  await sam.locator("#next-meetings > li").first().getByRole("link").click();
  await expect(sam.locator("#agenda")).toContainText(questionTitle);
  await sam.getByText("Lees de achtergrond").click();
  await expect(sam.locator("#agenda strong", { hasText: "waar" })).toBeVisible();
  await sam.getByRole("button", { name: "Misschien" }).click();
  await expect(sam.locator("#my-answer")).toContainText("Misschien");
  await expect(sam.locator("#invitees")).toContainText("Marco Jansen (gast): Ik kom");
  await expectNoAxeViolations(sam);
  await sam.setViewportSize({ width: 390, height: 844 });
  await sam.screenshot({ path: "test-results/meeting-phone.png", fullPage: true });
  await sam.setViewportSize({ width: 1280, height: 900 });

  // Her own calendar feed: every evening at 19:00 Amsterdam time, summer and winter.
  await open(sam, "/meetings");
  await sam.getByRole("button", { name: "Maak een agenda-link" }).click();
  const feedUrl = await sam.locator("#feed-url").inputValue();
  expect(feedUrl).toMatch(/\/calendar\/[0-9a-f]{64}\.ics$/);
  const feedPath = new URL(feedUrl).pathname;
  const feed = await sam.request.get(feedPath);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toContain("text/calendar");
  const allEvents = events(await feed.text());
  // The 17 planned and the demo's evening of two weeks ago.
  expect(allEvents).toHaveLength(18);
  const feedEvents = allEvents.filter((e) => e.startDate.toJSDate() > new Date());
  expect(feedEvents).toHaveLength(17);
  expect(new Set(feedEvents.map((e) => amsterdamTime(e.startDate)))).toEqual(new Set(["19:00"]));
  const utcHours = new Set(feedEvents.map((e) => e.startDate.toJSDate().getUTCHours()));
  expect(utcHours).toEqual(new Set([17, 18]));
  // The calendar program has no cookie: the secret link alone is enough; stopped, it is gone.
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(feedPath)).status()).toBe(200);
  await sam.getByRole("button", { name: "Stop de agenda-link" }).click();
  await expect(sam.getByRole("button", { name: "Maak een agenda-link" })).toBeVisible();
  expect((await anonymous.request.get(feedPath)).status()).toBe(404);
  // One meeting as a download needs a login.
  expect((await anonymous.request.get(`${meetingPath}/ics`)).status()).toBe(401);
  const one = await sam.request.get(`${meetingPath}/ics`);
  expect(events(await one.text())).toHaveLength(1);
  await anonymous.close();

  // The coordinator cancels the second evening; everyone invited hears why.
  await open(noor, "/meetings");
  await upcoming.nth(1).getByRole("link").click();
  await noor.getByText("Zeg deze avond af").click();
  await noor.getByRole("button", { name: "Zeg af en laat het iedereen weten" }).click();
  await expect(noor.getByText("Vul dit in.")).toBeVisible();
  await noor.getByLabel("Waarom gaat de avond niet door?").fill("De zaal is die avond niet vrij.");
  await noor.getByRole("button", { name: "Zeg af en laat het iedereen weten" }).click();
  await expect(noor.locator("#meeting-cancelled")).toContainText("De zaal is die avond niet vrij.");
  const cancelled = await waitForMail("sam@demo.klankbord.test", "Gaat niet door");
  expect(cancelled.text).toContain("De zaal is die avond niet vrij.");
  expect(events(cancelled.calendar)[0].component.getFirstPropertyValue("status")).toBe("CANCELLED");
  await open(sam, "/meetings");
  await expect(sam.locator("#meetings-upcoming > li").nth(1)).toContainText("Gaat niet door");

  await samContext.close();
  await marcoContext.close();
  await noorContext.close();
});

test("after the evening: attendance, minutes whose group input lands on the question, comments, travel costs and the export", async ({
  browser,
}) => {
  const noorContext = await browser.newContext();
  const noor = await noorContext.newPage();
  await login(noor, "coordinator@demo.klankbord.test", demoPassword);
  await expect(noor.getByRole("heading", { name: "Hoi Noor de Vries" })).toBeVisible();

  // The question from the first test is opened for views.
  await open(noor, "/questions?state=accepted");
  await noor.getByRole("link", { name: questionTitle }).click();
  const questionPath = new URL(noor.url()).pathname;
  await noor.getByRole("button", { name: "Open voor meningen" }).click();
  await expect(noor.locator("#question-state")).toContainText("Jongeren geven hun mening");

  // The demo's evening of two weeks ago: the question was discussed there too.
  await open(noor, "/meetings");
  await noor.locator("#meetings-past > li").first().getByRole("link").click();
  await expect(noor.getByRole("heading", { level: 1, name: "Panelavond" })).toBeVisible();
  const meetingPath = new URL(noor.url()).pathname;
  await expect(noor.locator("#agenda")).toContainText("Kennismaken en afspraken");
  const agendaForm = noor.locator("#agenda-form");
  await expect(agendaForm.getByLabel("Gast")).toHaveCount(0);
  await agendaForm.getByLabel("Over welke vraag?").selectOption({ label: `${questionTitle} (Marco Jansen)` });
  await agendaForm.getByRole("button", { name: "Zet op de agenda" }).click();
  await expect(noor.locator("#agenda > li")).toHaveCount(2);

  // Who came.
  const attendance = noor.locator("#attendance-form");
  await attendance.getByLabel("Sam").check();
  await attendance.getByLabel("Lina").check();
  await attendance.getByRole("button", { name: "Bewaar de aanwezigheid" }).click();
  await expect(noor.locator("#invitees")).toContainText("Sam: was er");
  await expect(noor.locator("#invitees")).toContainText("Jay: was er niet");

  // The minutes, with what the group said about the question.
  const minutes = noor.locator("#minutes-form");
  await minutes.getByLabel("Verslag van: Kennismaken en afspraken").fill("We maakten kennis en spraken de groepsafspraken door.");
  await minutes.getByLabel(`Verslag van: ${questionTitle}`).fill("We keken samen naar de website van de gemeente.");
  await minutes.getByLabel("Wat de groep zei over deze vraag").fill("Zet een chatknop op de website: bellen is eng.");
  await minutes.getByLabel("Hoeveel dagen kunnen leden reageren?").fill("30");
  await minutes.getByRole("button", { name: "Bewaar het verslag" }).click();
  await expect(noor.getByText("Kies een getal van 1 tot en met 14.")).toBeVisible();
  await expect(minutes.getByLabel("Wat de groep zei over deze vraag")).toHaveValue("Zet een chatknop op de website: bellen is eng.");
  await minutes.getByLabel("Hoeveel dagen kunnen leden reageren?").fill("7");
  await minutes.getByRole("button", { name: "Bewaar het verslag" }).click();
  await expect(noor.locator("#minutes-state")).toContainText("Dit is een concept. Reageer tot");
  // The recorded group input stays in the form: saving again changes it, never doubles it.
  await expect(minutes.getByLabel("Wat de groep zei over deze vraag")).toHaveValue("Zet een chatknop op de website: bellen is eng.");
  await expectNoAxeViolations(noor);

  // The group's view is on the question now.
  await open(noor, questionPath);
  await expect(noor.getByText("Zet een chatknop op de website: bellen is eng.")).toBeVisible();

  // A member who was there reads the draft, comments, and claims travel costs.
  const samContext = await browser.newContext();
  const sam = await samContext.newPage();
  await login(sam, "sam@demo.klankbord.test", demoPassword);
  await expect(sam.getByRole("heading", { name: "Hoi Sam" })).toBeVisible();
  await open(sam, "/meetings");
  await expect(sam.locator("#meetings-past > li").first()).toContainText("Je was er");
  await expect(sam.locator("#my-attendance")).toContainText("Je was bij 1 van de 1 avonden");
  await open(sam, meetingPath);
  await expect(sam.locator("#agenda")).toContainText("We keken samen naar de website van de gemeente.");
  await sam.getByLabel("Jouw reactie op het verslag").fill("We spraken ook over de bus, die rijdt 's avonds niet.");
  await sam.getByRole("button", { name: "Stuur je reactie" }).click();
  await expect(sam.locator("#minutes-comments")).toContainText("die rijdt 's avonds niet");
  await expect(sam.getByLabel("Jouw reactie op het verslag")).toHaveValue("");
  const claim = sam.locator("#claim-form");
  await claim.getByLabel("Bedrag in euro").fill("-3");
  await claim.getByLabel("Waarvoor?").fill("Bus Dongen–Tilburg heen en terug");
  await claim.getByRole("button", { name: "Vraag reiskosten aan" }).click();
  await expect(sam.getByText("Dit is geen bedrag. Schrijf het zo: 12,50")).toBeVisible();
  await expect(claim.getByLabel("Waarvoor?")).toHaveValue("Bus Dongen–Tilburg heen en terug");
  await claim.getByLabel("Bedrag in euro").fill("7,40");
  await claim.getByRole("button", { name: "Vraag reiskosten aan" }).click();
  await expect(sam.locator("#claims")).toContainText("€ 7,40");
  await expect(sam.locator("#claims")).toContainText("wacht op de coördinator");
  await expectNoAxeViolations(sam);
  await sam.setViewportSize({ width: 390, height: 844 });
  await sam.screenshot({ path: "test-results/minutes-phone.png", fullPage: true });

  // The coordinator approves it and downloads the period's compensation.
  await open(noor, "/meetings");
  await expect(noor.locator("#open-claims")).toContainText("1 aanvraag");
  await open(noor, meetingPath);
  await noor.locator("#claims").getByRole("button", { name: "Keur goed" }).click();
  await expect(noor.locator("#claims")).toContainText("goedgekeurd");
  const today = iso(new Date());
  const monthAgo = iso(new Date(Date.now() - 31 * 86_400_000));
  const csv = await noor.request.get(`/export/compensation.csv?from=${monthAgo}&to=${today}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const rows = (await csv.text()).split("\r\n");
  expect(rows[0]).toBe("datum;naam;e-mail;uren;vergoeding uren;reiskosten;totaal");
  expect(rows.some((r) => r.endsWith(";Sam;sam@demo.klankbord.test;2,00;20,00;7,40;27,40"))).toBe(true);
  expect(rows.some((r) => r.includes(";Lina;"))).toBe(true);
  expect(rows.some((r) => r.includes(";Jay;"))).toBe(false);
  expect((await sam.request.get(`/export/compensation.csv?from=${monthAgo}&to=${today}`)).status()).toBe(403);

  // Close the round again, so the demo members' home pages have nothing open.
  await open(noor, questionPath);
  await noor.getByRole("button", { name: "Sluit meningen en schrijf het advies" }).click();
  await expect(noor.getByRole("heading", { name: "Schrijf het advies" })).toBeVisible();
  await samContext.close();
  await noorContext.close();
});
