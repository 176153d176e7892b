// Reads Prism's verdict on one exchange: the `sl-violations` header (request and response
// violations, in mock and proxy mode) and Prism's own problem+json answers (invalid request,
// `--errors` response violations, no matching route, missing credentials).
type Json = any;

const PRISM_ERROR = 'https://stoplight.io/prism/errors#';

export interface PrismViolation {
  severity: 'error' | 'warning';
  location: string;
  message: string;
}

export async function readViolations(response: Response): Promise<PrismViolation[]> {
  const found: PrismViolation[] = [];
  const header = response.headers.get('sl-violations');
  if (header) {
    try {
      for (const v of JSON.parse(header) as Json[]) found.push(toViolation(v));
    } catch {
      found.push({ severity: 'error', location: '', message: header });
    }
  }
  if ((response.headers.get('content-type') ?? '').includes('problem+json')) {
    const problem = (await response.clone().json().catch(() => ({}))) as Json;
    if (typeof problem.type === 'string' && problem.type.startsWith(PRISM_ERROR)) {
      const listed: Json[] = problem.validation ?? [];
      if (listed.length) {
        for (const v of listed) {
          const violation = toViolation(v);
          if (!found.some((f) => f.location === violation.location && f.message === violation.message)) found.push(violation);
        }
      } else {
        found.push({ severity: 'error', location: '', message: `${problem.title ?? problem.type}${problem.detail ? `: ${problem.detail}` : ''}` });
      }
    }
  }
  return found;
}

function toViolation(v: Json): PrismViolation {
  const severity = v.severity === undefined || /error/i.test(String(v.severity)) || v.severity === 0 ? 'error' : 'warning';
  return { severity, location: (v.location ?? []).join('.'), message: String(v.message ?? v.code ?? '') };
}
