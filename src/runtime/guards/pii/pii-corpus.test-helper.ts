import type { PiiFinding } from '../redact-pii.js';

/** One sentence of the labelled corpus and the spans of personal data it truly contains. */
export interface LabelledSentence {
  text: string;
  spans: PiiFinding[];
}

type Random = () => number;
type Generator = (random: Random) => string;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const integer = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const digits = (random: Random, count: number) =>
  Array.from({ length: count }, () => String(integer(random, 0, 9))).join('');
const letters = (random: Random, count: number) =>
  Array.from({ length: count }, () => String.fromCharCode(integer(random, 65, 90))).join('');

function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let index = 0; index < payload.length; index += 1) {
    let digit = Number(payload[payload.length - 1 - index]);
    if (index % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

function mod97(numeric: string): number {
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder;
}

const asNumber = (text: string) => [...text].map((character) => parseInt(character, 36)).join('');

function iban(country: string, bban: string): string {
  const check = 98 - mod97(asNumber(`${bban}${country}00`));
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

const bbans: ReadonlyArray<[string, Generator]> = [
  ['DE', (random) => digits(random, 18)],
  ['GB', (random) => letters(random, 4) + digits(random, 14)],
  ['FR', (random) => digits(random, 10) + letters(random, 1) + digits(random, 12)],
  ['NL', (random) => letters(random, 4) + digits(random, 10)],
  ['ES', (random) => digits(random, 20)],
  ['IT', (random) => letters(random, 1) + digits(random, 22)],
  ['BE', (random) => digits(random, 12)],
  ['CH', (random) => digits(random, 17)],
  ['PL', (random) => digits(random, 24)],
  ['NO', (random) => digits(random, 11)],
];

const groupedBy4 = (text: string) => text.replace(/(.{4})(?=.)/g, '$1 ');

function formatIban(random: Random, value: string): string {
  return random() < 0.5 ? value : groupedBy4(value);
}

function cardNumber(random: Random): { value: string; amex: boolean } {
  const [prefix, length] = pick(random, [
    ['4', 16],
    ['4', 13],
    ['4', 19],
    [`5${integer(random, 1, 5)}`, 16],
    [String(integer(random, 2221, 2720)), 16],
    ['34', 15],
    ['37', 15],
    ['6011', 16],
    ['36', 14],
    ['35', 16],
  ] as const);
  const payload = prefix + digits(random, length - prefix.length - 1);
  return { value: payload + luhnCheckDigit(payload), amex: length === 15 };
}

function formatCard(random: Random, { value, amex }: { value: string; amex: boolean }): string {
  const separator = pick(random, ['', ' ', '-']);
  if (separator === '' || value.length === 13 || value.length === 14) return value;
  if (amex) return [value.slice(0, 4), value.slice(4, 10), value.slice(10)].join(separator);
  return value.replace(/(.{4})(?=.)/g, `$1${separator}`);
}

const area = (random: Random) => `${integer(random, 2, 9)}${digits(random, 2)}`;
const hexGroup = (random: Random) => integer(random, 0, 0xffff).toString(16);
const octet = (random: Random) => String(integer(random, 0, 255));
const ipv4 = (random: Random) => Array.from({ length: 4 }, () => octet(random)).join('.');

const pii: Readonly<Record<string, Generator>> = {
  email: (random) =>
    `${pick(random, ['john', 'maria.garcia', 'j.doe', 'first_last', 'o.connor', 'li.wei88', 'ANNA.K', 'x'])}` +
    `${pick(random, ['', '', '+news', String(integer(random, 1, 99))])}@` +
    pick(random, [
      'example.com',
      'mail.example.org',
      'company.co.uk',
      'uni-berlin.de',
      'sub.domain.io',
      'gmail.com',
    ]),
  phone: (random) => {
    const [a, e, l] = [area(random), area(random), digits(random, 4)];
    return pick(random, [
      `+1 ${a} ${e} ${l}`,
      `+1-${a}-${e}-${l}`,
      `+1 (${a}) ${e}-${l}`,
      `(${a}) ${e}-${l}`,
      `${a}-${e}-${l}`,
      `${a}.${e}.${l}`,
      `${a} ${e} ${l}`,
      `1-${a}-${e}-${l}`,
      `${e}-${l}`,
      `+1${a}${e}${l}`,
      `+44 20 ${digits(random, 4)} ${digits(random, 4)}`,
      `+44 (0)20 ${digits(random, 4)} ${digits(random, 4)}`,
      `020 ${digits(random, 4)} ${digits(random, 4)}`,
      `07${digits(random, 3)} ${digits(random, 6)}`,
      `+49 30 ${digits(random, 8)}`,
      `030 ${digits(random, 8)}`,
      `030/${digits(random, 8)}`,
      `0049 30 ${digits(random, 7)}`,
      `+49 151 ${digits(random, 8)}`,
      `+33 6 ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)}`,
      `06 ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)}`,
      `06.${digits(random, 2)}.${digits(random, 2)}.${digits(random, 2)}.${digits(random, 2)}`,
      `+31 6 ${digits(random, 8)}`,
      `06-${digits(random, 8)}`,
      `+34 6${digits(random, 2)} ${digits(random, 3)} ${digits(random, 3)}`,
      `+39 06 ${digits(random, 4)} ${digits(random, 4)}`,
    ]);
  },
  card: (random) => formatCard(random, cardNumber(random)),
  iban: (random) => {
    const [country, bban] = pick(random, bbans);
    return formatIban(random, iban(country, bban(random)));
  },
  ip: (random) =>
    pick(random, [
      ipv4(random),
      ipv4(random),
      Array.from({ length: 8 }, () => hexGroup(random).padStart(4, '0')).join(':'),
      `2001:db8::${hexGroup(random)}:${hexGroup(random)}`,
      `fe80::${hexGroup(random)}:${integer(random, 1, 99)}`,
      `::ffff:${ipv4(random)}`,
      '::1',
    ]),
  ssn: (random) => {
    let areaNumber = integer(random, 1, 899);
    if (areaNumber === 666) areaNumber = 667;
    const parts = [
      String(areaNumber).padStart(3, '0'),
      String(integer(random, 1, 99)).padStart(2, '0'),
      String(integer(random, 1, 9999)).padStart(4, '0'),
    ];
    return parts.join(random() < 0.8 ? '-' : ' ');
  },
};

/** Things that look like personal data and are not: what precision is measured against. */
const lookAlikes: readonly Generator[] = [
  (random) => {
    const card = cardNumber(random);
    const last = Number(card.value.slice(-1));
    return formatCard(random, {
      ...card,
      value: card.value.slice(0, -1) + ((last + integer(random, 1, 9)) % 10),
    });
  },
  (random) => {
    const [country, bban] = pick(random, bbans);
    const valid = iban(country, bban(random));
    const check = (Number(valid.slice(2, 4)) + integer(random, 1, 90)) % 100;
    return formatIban(random, `${country}${String(check).padStart(2, '0')}${valid.slice(4)}`);
  },
  (random) =>
    `${integer(random, 2000, 2030)}-${digits(random, 1)}${integer(random, 1, 9)}-${integer(random, 10, 28)}`,
  (random) =>
    `${integer(random, 2000, 2030)}-0${integer(random, 1, 9)}-1${integer(random, 0, 9)}T10:${digits(random, 1)}5:00Z`,
  (random) => `${integer(random, 10, 28)}.0${integer(random, 1, 9)}.${integer(random, 1990, 2030)}`,
  (random) => `0${integer(random, 1, 9)}/${integer(random, 10, 28)}/${integer(random, 1990, 2030)} 14:05`,
  (random) => `${integer(random, 10, 23)}:${integer(random, 10, 59)}:${integer(random, 10, 59)}`,
  (random) => `v${integer(random, 0, 9)}.${integer(random, 0, 20)}.${integer(random, 0, 99)}`,
  (random) => `version ${integer(random, 1, 12)}.${integer(random, 0, 9)}.${integer(random, 1000, 99999)}`,
  (random) => `10.0.${integer(random, 10000, 22999)}.${integer(random, 1000, 4000)}`,
  (random) =>
    `${integer(random, 1, 9)}.${integer(random, 0, 9)}.${integer(random, 0, 9)}.${integer(random, 0, 9)}.${integer(random, 0, 9)}`,
  (random) => `$${integer(random, 1, 99)},${digits(random, 3)}.${digits(random, 2)}`,
  (random) => `€${integer(random, 1, 9)}.${digits(random, 3)},${digits(random, 2)}`,
  (random) => `${integer(random, 1, 99)} ${digits(random, 3)} ${digits(random, 3)} units`,
  (random) => `ORD-${integer(random, 2019, 2030)}-${digits(random, 7)}`,
  (random) => `INV-${area(random)}-${area(random)}-${digits(random, 4)}`,
  (random) => `#A${digits(random, 8)}`,
  (random) => `ticket 17${digits(random, 8)}`,
  (random) => `in ${integer(random, 1950, 2030)} and ${integer(random, 1950, 2030)}`,
  (random) =>
    `${integer(random, 256, 999)}.${integer(random, 0, 255)}.${integer(random, 0, 255)}.${integer(random, 0, 255)}`,
  (random) => `${octet(random)}.${octet(random)}.${octet(random)}`,
  (random) =>
    `${pick(random, ['000', '666', String(integer(random, 900, 999))])}-${digits(random, 1)}${integer(random, 1, 9)}-${integer(random, 1000, 9999)}`,
  (random) => `${integer(random, 100, 899)}-00-${integer(random, 1000, 9999)}`,
  (random) => `${integer(random, 100, 899)}-${integer(random, 10, 99)}-0000`,
  (random) => pick(random, ['icon@2x.png', '@handle', 'support@', 'price @ $5 each', 'cafe::face', 'a :: b']),
];

const prefixes = [
  'Please reach me at',
  'My details:',
  'Contact',
  'Noted',
  'Here is',
  'Customer wrote',
  'Update with',
  '',
];
const labels: Readonly<Record<string, readonly string[]>> = {
  email: ['email ', 'mailto:', ''],
  phone: ['tel: ', 'tel:', 'Phone ', ''],
  card: ['card no. ', 'Visa ', ''],
  iban: ['IBAN ', 'account ', ''],
  ip: ['from IP ', 'host ', ''],
  ssn: ['SSN ', 'social ', ''],
};
const joiners = [' and ', ', ', '; ', ' or ', ' then ', '. Also ', ' — ', ' (see above) '];
const suffixes = ['.', '!', ' please.', '', ' — Grüße aus Köln', ' 東京 office.'];

/**
 * A labelled corpus of `size` sentences, each with one to three items: real personal data of every
 * built-in type in varied formats (about 65 %) or a look-alike that is not personal data.
 */
export function generatePiiCorpus(random: Random, size: number): LabelledSentence[] {
  const types = Object.keys(pii);
  return Array.from({ length: size }, () => {
    let text = pick(random, prefixes);
    const spans: PiiFinding[] = [];
    const count = integer(random, 1, 3);
    for (let index = 0; index < count; index += 1) {
      text += index === 0 ? (text === '' ? '' : ' ') : pick(random, joiners);
      if (random() < 0.65) {
        const type = pick(random, types);
        text += pick(random, labels[type] ?? ['']);
        const value = (pii[type] as Generator)(random);
        spans.push({ type, start: text.length, end: text.length + value.length });
        text += value;
      } else {
        text += pick(random, lookAlikes)(random);
      }
    }
    return { text: text + pick(random, suffixes), spans };
  });
}
