import type { PersonRow } from '@vigil/persistence';
import type { PersonView } from '@vigil/contracts';

export function toPersonView(p: PersonRow): PersonView {
  return {
    id: p.id,
    name: p.name,
    list: p.list,
    notes: p.notes,
    consent: p.consentGivenAt
      ? {
          givenAt: p.consentGivenAt.toISOString(),
          method: p.consentMethod ?? '',
          reference: p.consentReference,
          withdrawnAt: p.consentWithdrawnAt?.toISOString() ?? null,
        }
      : null,
    referenceCount: p.referenceCount,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
