import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, linkPath, login, open, totp, waitForMail, fromMenu } from "./helpers";

test.describe.configure({ mode: "serial" });

const demoPassword = "klankbord-demo";
const coordinatorEmail = "coordinator@demo.klankbord.test";

test("a coordinator invites a member, who makes an account through the mail and accepts the agreements", async ({
  page,
  browser,
}) => {
  await login(page, coordinatorEmail, demoPassword);
  await expect(page.getByRole("heading", { name: "Hoi Noor de Vries" })).toBeVisible();
  await fromMenu(page, "link", "Mensen");
  await expect(page.getByRole("heading", { level: 1, name: "Mensen" })).toBeVisible();
  await expectNoAxeViolations(page);

  // Bad input first: the message is at the field and nothing is sent.
  const inviteForm = page.getByRole("region", { name: "Iemand uitnodigen" });
  await inviteForm.getByLabel("E-mailadres").fill("lid-zonder-at");
  await inviteForm.getByRole("button", { name: "Stuur de uitnodiging" }).click();
  await expect(page.getByText("Dit is geen geldig e-mailadres")).toBeVisible();
  await expect(inviteForm.getByLabel("E-mailadres")).toHaveValue("lid-zonder-at");

  await inviteForm.getByLabel("E-mailadres").fill("mila@example.nl");
  await inviteForm.getByLabel("Rol").selectOption("member");
  await inviteForm.getByRole("button", { name: "Stuur de uitnodiging" }).click();
  await expect(page.getByText("De uitnodiging is verstuurd.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Open uitnodigingen" }).getByText("mila@example.nl")).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/people-phone.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: "test-results/people-desktop.png", fullPage: true });

  // The mail arrives at the SMTP server; its link opens the invitation.
  const mail = await waitForMail("mila@example.nl", "Je bent uitgenodigd");
  expect(mail.text).toContain("Noor de Vries nodigt je uit");
  const invitation = linkPath(mail, "/invite/");

  const visitor = await browser.newContext();
  const mila = await visitor.newPage();
  await open(mila, invitation);
  await expect(mila.getByRole("heading", { name: "Maak je account" })).toBeVisible();
  await expect(mila.getByText("mila@example.nl")).toBeVisible();
  await expectNoAxeViolations(mila);

  const thisYear = new Date().getFullYear();
  await mila.getByLabel("Je naam in Klankbord").fill("Mila");
  await mila.getByLabel("Je geboortejaar").fill(String(thisYear - 12));
  await mila.getByLabel("Wachtwoord", { exact: true }).fill("wachtwoord123");
  await mila.getByLabel("Wachtwoord nog een keer").fill("wachtwoord123");
  await mila.getByRole("button", { name: "Maak mijn account" }).click();
  await expect(mila.getByText("Het panel is voor jongeren van 16 tot en met 27 jaar")).toBeVisible();
  await expect(mila.getByText("Dit wachtwoord is te bekend")).toBeVisible();
  await expect(mila.getByLabel("Je naam in Klankbord")).toHaveValue("Mila");
  await expectNoAxeViolations(mila);

  await mila.getByLabel("Je geboortejaar").fill(String(thisYear - 18));
  await mila.getByLabel("Wachtwoord", { exact: true }).fill("mijn fiets is paars");
  await mila.getByLabel("Wachtwoord nog een keer").fill("mijn fiets is paars");
  await mila.getByRole("button", { name: "Maak mijn account" }).click();

  // First the group agreements, then home with a fixed contact person.
  await expect(mila.getByRole("heading", { level: 1, name: "Afspraken" })).toBeVisible();
  await expect(mila.getByText("Wat iemand vertelt over zijn eigen ervaring, blijft in de groep.")).toBeVisible();
  await expectNoAxeViolations(mila);
  await mila.setViewportSize({ width: 390, height: 844 });
  await mila.screenshot({ path: "test-results/agreements-phone.png", fullPage: true });
  await mila.getByRole("button", { name: "Ik doe mee met deze afspraken" }).click();
  await expect(mila.getByRole("heading", { name: "Hoi Mila" })).toBeVisible();
  const contact = mila.getByRole("region", { name: "Je vaste contactpersoon" });
  await expect(contact.getByText("Noor de Vries")).toBeVisible();
  await expect(contact.getByText("06-12345678")).toBeVisible();

  // The invitation link is used up.
  await open(mila, invitation);
  await expect(mila.getByText("Deze uitnodiging werkt niet meer")).toBeVisible();

  // Log out and back in with the new account.
  await open(mila, "/home");
  await fromMenu(mila, "button", "Uitloggen");
  await expect(mila).toHaveURL(/\/$/);
  await login(mila, "mila@example.nl", "mijn fiets is paars");
  await expect(mila.getByRole("heading", { name: "Hoi Mila" })).toBeVisible();
  await visitor.close();

  // The coordinator sees Mila on the panel, and the invitation in the log.
  await open(page, "/people");
  await expect(page.getByRole("listitem").filter({ hasText: "mila@example.nl" }).getByText("Actief")).toBeVisible();
  await open(page, "/people/log");
  await expect(page.getByRole("cell", { name: "Uitnodiging aangenomen" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("a member who forgot their password sets a new one through the mail", async ({ page }) => {
  await open(page, "/login");
  await page.getByRole("link", { name: "Wachtwoord vergeten?" }).click();
  await expect(page.getByRole("heading", { name: "Wachtwoord vergeten" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("E-mailadres").fill("jay@demo.klankbord.test");
  await page.getByRole("button", { name: "Stuur de link" }).click();
  await expect(page.getByText("Als dit adres bij een account hoort")).toBeVisible();

  const mail = await waitForMail("jay@demo.klankbord.test", "Kies een nieuw wachtwoord");
  await open(page, linkPath(mail, "/reset/"));
  await expect(page.getByRole("heading", { name: "Kies een nieuw wachtwoord" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("Nieuw wachtwoord").fill("password1");
  await page.getByLabel("Wachtwoord nog een keer").fill("password1");
  await page.getByRole("button", { name: "Sla mijn nieuwe wachtwoord op" }).click();
  await expect(page.getByText("Dit wachtwoord is te bekend")).toBeVisible();
  await page.getByLabel("Nieuw wachtwoord").fill("de trein naar tilburg");
  await page.getByLabel("Wachtwoord nog een keer").fill("de trein naar tilburg");
  await page.getByRole("button", { name: "Sla mijn nieuwe wachtwoord op" }).click();
  await expect(page.getByRole("heading", { name: "Hoi Jay" })).toBeVisible();
  await waitForMail("jay@demo.klankbord.test", "Je wachtwoord is veranderd");

  await fromMenu(page, "button", "Uitloggen");
  await login(page, "jay@demo.klankbord.test", demoPassword);
  await expect(page.getByText("Dit e-mailadres en wachtwoord horen niet bij elkaar")).toBeVisible();
  await login(page, "jay@demo.klankbord.test", "de trein naar tilburg");
  await expect(page.getByRole("heading", { name: "Hoi Jay" })).toBeVisible();

  // The account page: profile, e-mail, password, sessions.
  await fromMenu(page, "link", "Mijn account");
  await expect(page.getByRole("heading", { level: 1, name: "Mijn account" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/profile-phone.png", fullPage: true });
});

test("a panel that requires a second step: the policy maker sets it up and then logs in with a code", async ({
  page,
  browser,
}) => {
  // The coordinator turns on her own second step first.
  await login(page, coordinatorEmail, demoPassword);
  await expect(page.getByRole("heading", { name: "Hoi Noor de Vries" })).toBeVisible();
  await open(page, "/people");
  await page.getByLabel("Coördinatoren en beleidsmakers moeten een tweede stap gebruiken").check();
  await page.getByRole("button", { name: "Sla op" }).click();
  await expect(page.getByText("Zet eerst voor jezelf de tweede stap aan")).toBeVisible();

  await open(page, "/profile");
  await page.getByRole("link", { name: "Zet de tweede stap aan" }).click();
  await expect(page.getByRole("heading", { name: "Tweede stap aanzetten" })).toBeVisible();
  await expect(page.getByRole("img", { name: "QR-code om te scannen met je authenticator-app" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/second-factor-phone.png", fullPage: true });
  const coordinatorSecret = (await page.locator("code.secret").textContent()) ?? "";
  await page.getByLabel("Code uit je app").fill("000000" === totp(coordinatorSecret) ? "111111" : "000000");
  await page.getByRole("button", { name: "Zet aan" }).click();
  await expect(page.getByText("Deze code klopt niet")).toBeVisible();
  await page.getByLabel("Code uit je app").fill(totp(coordinatorSecret));
  await page.getByRole("button", { name: "Zet aan" }).click();
  await expect(page.getByText("De tweede stap staat aan")).toBeVisible();
  // Opening the set-up page again shows no new secret: a new app needs the password or a code.
  await open(page, "/second-factor");
  await expect(page.getByText("Je tweede stap staat al aan")).toBeVisible();
  await expect(page.locator("code.secret")).toHaveCount(0);

  await open(page, "/people");
  await page.getByLabel("Coördinatoren en beleidsmakers moeten een tweede stap gebruiken").check();
  await page.getByRole("button", { name: "Sla op" }).click();
  await expect(page.getByLabel("Coördinatoren en beleidsmakers moeten een tweede stap gebruiken")).toBeChecked();

  // The policy maker logs in and is asked to set it up before anything else.
  const context = await browser.newContext();
  const marco = await context.newPage();
  await login(marco, "beleid@demo.klankbord.test", demoPassword);
  await expect(marco.getByRole("heading", { name: "Tweede stap aanzetten" })).toBeVisible();
  // Nothing else opens meanwhile.
  await open(marco, "/home");
  await expect(marco).toHaveURL(/\/login$/);
  await open(marco, "/second-factor");
  const secret = (await marco.locator("code.secret").textContent()) ?? "";
  await marco.getByLabel("Code uit je app").fill(totp(secret));
  await marco.getByRole("button", { name: "Zet aan" }).click();
  await expect(marco.getByRole("heading", { name: "Hoi Marco Jansen" })).toBeVisible();

  // Next login: password, then the code (the next one; each code works once).
  await fromMenu(marco, "button", "Uitloggen");
  await login(marco, "beleid@demo.klankbord.test", demoPassword);
  await expect(marco.getByRole("heading", { name: "Vul je code in" })).toBeVisible();
  await expectNoAxeViolations(marco);
  await marco.getByLabel("Code uit je app").fill("12345");
  await marco.getByRole("button", { name: "Log in" }).click();
  await expect(marco.getByText("Deze code klopt niet")).toBeVisible();
  await marco.getByLabel("Code uit je app").fill(totp(secret, Date.now() / 1000 + 30));
  await marco.getByRole("button", { name: "Log in" }).click();
  await expect(marco.getByRole("heading", { name: "Hoi Marco Jansen" })).toBeVisible();
  await context.close();

  // Put the demo panel back: Marco lost his phone (the coordinator turns his second step
  // off), the requirement goes off, and the coordinator turns off her own.
  await open(page, "/people");
  await page.getByRole("listitem").filter({ hasText: "beleid@demo.klankbord.test" })
    .getByRole("button", { name: "Zet tweede stap uit" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "beleid@demo.klankbord.test" })
    .getByText("Gebruikt een tweede stap")).toHaveCount(0);
  await page.getByLabel("Coördinatoren en beleidsmakers moeten een tweede stap gebruiken").uncheck();
  await page.getByRole("button", { name: "Sla op" }).click();
  await expect(page.getByLabel("Coördinatoren en beleidsmakers moeten een tweede stap gebruiken")).not.toBeChecked();
  await open(page, "/profile");
  await page.getByRole("region", { name: "Tweede stap bij inloggen" }).getByLabel("Je huidige wachtwoord").fill(demoPassword);
  await page.getByRole("button", { name: "Zet de tweede stap uit" }).click();
  await expect(page.getByRole("link", { name: "Zet de tweede stap aan" })).toBeVisible();
});
