import { firstPeriodFields } from '../usage/quota-period';
import { Customer } from './customer.events';

/** The public customer object (SPEC §3). */
export interface CustomerResource {
  id: string;
  object: 'customer';
  full_name: string | null;
  email: string | null;
  phone: string | null;
  preferred_language: string;
  source_channel: string | null;
  notes: string | null;
  metadata: Record<string, string>;
  external_id: string | null;
  plan_id: string | null;
  status: Customer['status'];
  archived: boolean;
  is_returning: boolean;
  total_rentals: number;
  overall_score: number;
  period_start: string | null;
  period_end: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  livemode: boolean;
}

/**
 * Rental-derived fields keep their defaults until the customer read model projects them.
 * The period is the first window of the stored series; the read model's queries roll it
 * forward to the window containing now (usage/quota-period.ts).
 */
export function toCustomerResource(customer: Customer, version: number): CustomerResource {
  return {
    id: customer.customer_id,
    object: 'customer',
    full_name: customer.full_name,
    email: customer.email,
    phone: customer.phone,
    preferred_language: customer.preferred_language,
    source_channel: customer.source_channel,
    notes: customer.notes,
    metadata: customer.metadata,
    external_id: customer.external_id,
    plan_id: customer.plan_id,
    status: customer.status,
    archived: customer.archived,
    is_returning: false,
    total_rentals: 0,
    overall_score: 50,
    ...firstPeriodFields(customer.period_start),
    created_at: customer.created_at,
    updated_at: customer.updated_at,
    version,
    livemode: customer.livemode,
  };
}

/** SPEC §3: what DELETE answers and what `customer.deleted` carries; nothing else remains. */
export interface DeletedCustomerResource {
  id: string;
  object: 'customer';
  deleted: true;
}

export const toDeletedCustomer = (id: string): DeletedCustomerResource => ({ id, object: 'customer', deleted: true });

const CUSTOMER_ID = /^cu_[0-9A-Za-z]{1,64}$/;
export const isCustomerId = (id: string) => CUSTOMER_ID.test(id);
