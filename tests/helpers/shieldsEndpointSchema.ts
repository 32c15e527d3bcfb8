import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * The Shields.io endpoint badge format (https://shields.io/badges/endpoint-badge), as a JSON
 * schema for tests: schemaVersion 1, a label and a message (strings; Shields requires both,
 * the label may be empty), a color, and the optional fields Shields reads. Unknown fields are
 * refused so a typo cannot pass.
 */
export const SHIELDS_ENDPOINT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'label', 'message'],
  properties: {
    schemaVersion: { const: 1 },
    label: { type: 'string' },
    message: { type: 'string', minLength: 1 },
    color: { type: 'string', minLength: 1 },
    labelColor: { type: 'string', minLength: 1 },
    isError: { type: 'boolean' },
    namedLogo: { type: 'string' },
    logoSvg: { type: 'string' },
    logoColor: { type: 'string' },
    logoSize: { type: 'string' },
    style: { enum: ['flat', 'flat-square', 'plastic', 'for-the-badge', 'social'] },
    cacheSeconds: { type: 'integer', minimum: 300 },
  },
} as const;

export const validateShieldsEndpoint = new Ajv2020({ allErrors: true, strict: true }).compile(SHIELDS_ENDPOINT_SCHEMA);
