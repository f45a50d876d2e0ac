/* mathlib.h: the engine's exp, log, pow, log1p and cos (mathlib.c): the same bits on every
 * processor and C library, so that a run's output depends on its configuration and seed only.
 * Every call in sim/ that can reach a run's state uses these, not <math.h>'s. */
#ifndef CS_MATHLIB_H
#define CS_MATHLIB_H

double cs_exp(double x);
double cs_log(double x);
double cs_pow(double x, double y);
double cs_log1p(double x);
double cs_cos(double x);

#endif
