"""Pure scheduling logic: no I/O, no clock, no database; inputs in, values out."""
