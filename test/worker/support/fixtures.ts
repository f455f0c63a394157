/** A complete CRM agency row and the Red 360 representation it maps to. */
import type { AgencyRepresentation } from '../../../src/red360/contract'

/** An agency row with every synced column set. */
export const agencyRow = {
  name: 'Viajes Sol',
  slug: 'viajes-sol',
  logo: 'https://cdn.example/sol.png',
  description: 'Agencia en Lima',
  website: 'https://sol.example',
  phone: '+51 1 555 0100',
  email: 'hola@sol.example',
  address: 'Av. Larco 101',
  status: 'activo',
  social_links: '{"instagram":"https://instagram.com/sol"}',
  followers_count: 10,
  social_rating: 4.5,
  social_verified: 1,
}

/** What {@link agencyRow} becomes in Red 360, under the id the CRM gave it. */
export function agencyRepresentation(id: number): AgencyRepresentation {
  return {
    id,
    name: 'Viajes Sol',
    slug: 'viajes-sol',
    logo_url: 'https://cdn.example/sol.png',
    description: 'Agencia en Lima',
    website: 'https://sol.example',
    phone: '+51 1 555 0100',
    email: 'hola@sol.example',
    address: 'Av. Larco 101',
    verified: true,
    active: true,
    social_links: { instagram: 'https://instagram.com/sol' },
    followers_count: 10,
    social_rating: 4.5,
    social_verified: true,
  }
}
