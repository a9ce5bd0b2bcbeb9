import { isPhone, luhnValid, scrubPii } from "./pii";

const scrub = (t: string) => scrubPii(t).text;

describe("PII scrubbing", () => {
  test("emails, including plus tags, subdomains, underscores and host-only addresses", () => {
    const r = scrubPii("Write to john_doe+news@mail.example.co.uk or zzzz@localhost; cc <a.b@c.org>.");
    expect(r.text).toBe("Write to [EMAIL] or [EMAIL]; cc <[EMAIL]>.");
    expect(r.counts.email).toBe(3);
  });
  test("email negatives: a bare @, a handle and 'at' in prose stay", () => {
    expect(scrub("meet @ 5pm, follow @llmlab, look at me")).toBe("meet @ 5pm, follow @llmlab, look at me");
  });
  test("URLs with credentials are one placeholder, plain URLs stay", () => {
    const r = scrubPii("get ftp://admin:hunter2@files.example.com/x and https://example.com/page?q=1");
    expect(r.text).toBe("get [URL_WITH_CREDENTIALS]/x and https://example.com/page?q=1");
    expect(r.counts.url_credentials).toBe(1);
    expect(r.counts.email).toBe(0);
  });
  test.each([
    ["+44 20 7946 0958"],
    ["+447911123456"],
    ["0044 20 7946 0958"],
    ["(555) 123-4567"],
    ["555-123-4567"],
    ["555.123.4567"],
    ["1-800-555-0199"],
    ["555-1234"],
    ["020 7946 0958"],
    ["+1 (415) 555-2671"],
    ["+33 1 42 68 53 00"],
    ["+882 1 646685229"],
    ["+353 (0)86 8768780"],
    ["+873-762-692484"],
    ["+225 05775748"],
    ["(+225) 0771 1719"],
  ])("phone positive %s", (p) => {
    const r = scrubPii(`call ${p} now`);
    expect(r.text).toBe("call [PHONE] now");
    expect(r.counts.phone).toBe(1);
  });
  test.each([
    ["in 1999-2002 we"],
    ["ISSN: 1234-5678"],
    ["$8,883,421 123"],
    ["5,304,937 - 7,239,814"],
    ["on 2002-08-22 at"],
    ["01.02.2003"],
    ["pi is 3.14159265"],
    ["version 2.4.18-3"],
    ["1 000 000 people"],
    ["zip 02139-4307"],
    ["order 12345678901"],
    ["years 1790 - 1800 - 1810"],
    ["at 12:30:45"],
    ["$1. 0 258. 7 24. 7"],
  ])("phone negative %s", (t) => {
    expect(scrub(t)).toBe(t);
  });
  test("a greedy candidate keeps its non-phone tail; two numbers in a row are both found", () => {
    expect(scrub("call 555-123-4567 8 times")).toBe("call [PHONE] 8 times");
    expect(scrub("call 713-802-0560 ( cell 832-723-6363) now")).toBe("call [PHONE] ( cell [PHONE]) now");
    expect(scrub("(call 713-802-0560)")).toBe("(call [PHONE])");
    const r = scrubPii("fax 555-123-4567 555-987-6543");
    expect(r.text).toBe("fax [PHONE] [PHONE]");
    expect(r.counts.phone).toBe(2);
  });
  test("IPv4: valid octets only, not version strings", () => {
    expect(scrub("from 192.168.0.1 via 10.0.0.256 (v1.2.3.4.5)")).toBe("from [IPV4] via 10.0.0.256 (v1.2.3.4.5)");
  });
  test("IPv6 plausibility: chapter-and-verse '3::' and bare '1::' stay", () => {
    expect(scrub("John 3:: 16 and Section 1:: The")).toBe("John 3:: 16 and Section 1:: The");
  });
  test("cards need an issuer prefix: a Luhn-valid timestamp is not a card", () => {
    expect(luhnValid("20050101000000")).toBe(false);
    expect(luhnValid("19991231235952")).toBe(true);
    expect(scrub("web.archive.org/web/19991231235952/x")).toBe("web.archive.org/web/19991231235952/x");
  });
  test("IPv6: full and compressed forms; times and C++ scopes stay", () => {
    const r = scrubPii(
      "hosts 2001:0db8:85a3:0000:0000:8a2e:0370:7334, 2001:db8::1 and ::1; at 12:30:45 call std::vector",
    );
    expect(r.text).toBe("hosts [IPV6], [IPV6] and [IPV6]; at 12:30:45 call std::vector");
    expect(r.counts.ipv6).toBe(3);
  });
  test("Luhn: the published test numbers pass, an edited digit fails", () => {
    // 4111111111111111 (Visa test) and 79927398713 (the Luhn example in ISO/IEC 7812 texts).
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
    expect(scrub("card 4111 1111 1111 1111, not 4111 1111 1111 1112")).toBe(
      "card [CREDIT_CARD], not 4111 1111 1111 1112",
    );
    expect(scrub("amex 3782-822463-10005")).toBe("amex [CREDIT_CARD]");
  });
  test("isPhone rejects bare digit runs and accepts E.164", () => {
    expect(isPhone("4155552671")).toBe(false);
    expect(isPhone("+14155552671")).toBe(true);
  });
  test("counts per type add up", () => {
    const r = scrubPii("a@b.com c@d.org +44 20 7946 0958 10.1.1.1");
    expect(r.counts).toEqual({ url_credentials: 0, email: 2, credit_card: 0, ipv6: 0, ipv4: 1, phone: 1 });
  });
});
