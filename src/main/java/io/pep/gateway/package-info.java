/**
 * A simulated gateway factory client (FCC) for tests and QA labs: {@link io.pep.gateway.FccSimulator}
 * in-process, {@code bin/pep-fcc-sim} (main {@link io.pep.gateway.PepFccSim}) on the command line.
 * It speaks the real FCC's protocol and applies its checks; see SPEC.md §4 and §7.
 */
package io.pep.gateway;
