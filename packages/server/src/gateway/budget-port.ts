/**
 * What the gateway needs of budgets (ADR 0006, step 5): reserve a call's worst-case cost before
 * it is sent, settle it to the real cost after. Metering implements it; without one, no budget
 * applies and nothing is reserved.
 */
export interface BudgetPort {
  /**
   * Reserves `amountMicroUsd` against every budget covering the call, atomically; throws a
   * coded error (`BUDGET_EXCEEDED`, with the reset time) when a hard budget cannot cover it.
   */
  reserve(request: BudgetRequest): Promise<BudgetReservation>;
  /** Spends `actualMicroUsd` of the reservation and releases the rest (0 for a failed call). */
  settle(reservation: BudgetReservation, actualMicroUsd: number): Promise<void>;
  /** The tenant's least remaining amount over its budgets, or null when none applies. */
  remainingMicroUsd(tenantId: string): Promise<number | null>;
}

export interface BudgetRequest {
  tenantId: string;
  apiKeyId: string | null;
  runId: string | null;
  callId: string;
  amountMicroUsd: number;
}

export interface BudgetReservation {
  id: string;
  amountMicroUsd: number;
}
