import { cardDetector } from './card-detector.js';
import { emailDetector } from './email-detector.js';
import { ibanDetector } from './iban-detector.js';
import { ipDetector } from './ip-detector.js';
import { phoneDetector } from './phone-detector.js';
import type { PiiFinder } from './pii-detector.js';
import { ssnDetector } from './ssn-detector.js';

/**
 * The detectors `redactPII` uses by default, in tie-break order: email, IBAN, card, SSN, IP, phone.
 *
 * @example
 * builtinPiiDetectors.map((detector) => detector.type); // ['email', 'iban', 'card', 'ssn', 'ip', 'phone']
 */
export const builtinPiiDetectors: readonly PiiFinder[] = Object.freeze([
  emailDetector,
  ibanDetector,
  cardDetector,
  ssnDetector,
  ipDetector,
  phoneDetector,
]);
