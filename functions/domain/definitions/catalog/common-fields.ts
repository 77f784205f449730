/** Fields several processes share, defined once. */
import { CONFIDENTIALITY_LEVELS } from '../../archive/archive.ts';

/** 密级: the field the 三密 rules read (a case above 内部 is seen only by those allowed). */
export const confidentialityField = {
  key: 'confidentiality',
  type: 'enum',
  label: { zh: '密级', en: 'Confidentiality' },
  required: true,
  options: CONFIDENTIALITY_LEVELS.map((level) => ({ value: level.value, label: level.label })),
} as const;
