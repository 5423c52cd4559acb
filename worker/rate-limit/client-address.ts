// Which "client" an address-based limit counts. IPv4 addresses count one by one (a home,
// an office or a school behind NAT shares one). An IPv6 client is normally given a whole
// /64 and may use any address in it, so counting IPv6 addresses one by one would hand one
// client 2^64 allowances: IPv6 addresses count by their /64.
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

export function clientKey(address: string | undefined): string {
  if (!address) return "unknown";
  const text = address.trim().toLowerCase();
  if (IPV4.test(text)) return text;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (mapped?.[1]) return mapped[1];
  const groups = expandIpv6(text);
  if (!groups) return text;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

/** The eight hextets of an IPv6 address written with or without `::`; null if malformed. */
function expandIpv6(text: string): string[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const [head = "", tail] = halves;
  const front = head === "" ? [] : head.split(":");
  const back = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - front.length - back.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...front, ...Array.from({ length: missing }, () => "0"), ...back];
  return groups.every((group) => HEXTET.test(group)) ? groups : null;
}
