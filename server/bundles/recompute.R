#!/usr/bin/env Rscript
# seici reproducibility bundle: recomputes the numbers of results.json from the bundle's data
# with R's psych, lavaan, semTools and multilevel, and prints for each number whether R agrees
# within its tolerance (checks.json: closed forms 1e-6, optimiser output 1e-3, as
# |seici - R| <= tol * max(1, |R|)). Numbers that are not recomputed are listed in checks.json
# with the reason.
#
# Usage: Rscript recompute.R [BUNDLE_FOLDER]     (default: the folder of this script)
# Exit status: 0 when every number agrees, 1 when any disagrees, 2 when the bundle is unreadable.

args <- commandArgs(trailingOnly = TRUE)
script_dir <- function() {
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
  if (length(f) == 1) dirname(normalizePath(f)) else getwd()
}
dir <- if (length(args) >= 1) args[1] else script_dir()
at <- function(...) file.path(dir, ...)
fail <- function(...) {
  cat("cannot check this bundle:", ..., "\n")
  quit(status = 2)
}

if (!requireNamespace("jsonlite", quietly = TRUE)) fail("the R package jsonlite is not installed.")
read_json <- function(name) jsonlite::fromJSON(at(name), simplifyVector = FALSE)
kind <- read_json("options.json")$kind
for (p in if (identical(kind, "research")) c("sandwich", "lmtest") else c("psych", "multilevel")) {
  if (!requireNamespace(p, quietly = TRUE)) fail("the R package", p, "is not installed.")
}

# 1. The manifest: every file as seici wrote it?
sha256_of <- function(f) {
  if (requireNamespace("digest", quietly = TRUE)) return(digest::digest(file = f, algo = "sha256"))
  if (requireNamespace("openssl", quietly = TRUE)) return(as.character(openssl::sha256(file(f))))
  out <- tryCatch(system2("sha256sum", shQuote(f), stdout = TRUE), error = function(e) NA_character_)
  sub(" .*", "", out[1])
}
manifest <- readLines(at("MANIFEST.sha256"))
changed <- character(0)
for (line in manifest) {
  hash <- sub("  .*$", "", line)
  file <- sub("^[0-9a-f]+  ", "", line)
  if (!file.exists(at(file)) || !identical(sha256_of(at(file)), hash)) changed <- c(changed, file)
}
if (length(changed) == 0) {
  cat(sprintf("manifest: the %d files match their SHA-256\n", length(manifest)))
} else {
  cat(sprintf("manifest: %s changed since seici wrote the bundle (SHA-256 differs)\n", paste(changed, collapse = ", ")))
}

# 2. The data.
results <- read_json("results.json")
checks <- read_json("checks.json")
options <- read_json("options.json")
if (!identical(kind, "research")) {
  map <- read_json("item_map.json")
  smin <- map$scaleMin
  smax <- map$scaleMax
  items <- names(map$items)
  cell_of <- vapply(map$items, function(x) x$cell, "")
  reversed <- items[vapply(map$items, function(x) isTRUE(x$reverse), NA)]
  d <- utils::read.csv(at("data", "responses.csv"), colClasses = c(wave = "character", unit = "character"),
                       check.names = FALSE, na.strings = "")
  units_csv <- utils::read.csv(at("data", "units.csv"), colClasses = c(wave = "character", unit = "character", context = "character"),
                               na.strings = "")
  missing_items <- setdiff(items, names(d))
  if (length(missing_items) > 0) fail("data/responses.csv lacks the items", paste(missing_items, collapse = ", "))
  raw <- as.matrix(d[, items])
  storage.mode(raw) <- "double"
  keyed <- raw
  keyed[, reversed] <- smin + smax - keyed[, reversed]
}

CELLS <- c("SxA", "SxC", "SxV", "RxA", "RxC", "RxV", "TxA", "TxC", "TxV")
DIMS <- c(structural = "S", relational = "R", translational = "T")
LEVERS <- c(accountability = "A", communication = "C", visibility = "V")
dim_cells <- function(name) CELLS[substr(CELLS, 1, 1) == DIMS[[name]]]
lever_cells <- function(name) CELLS[substr(CELLS, 3, 3) == LEVERS[[name]]]

# Respondent cell scores: the mean of the answered items of the cell when at least half are answered.
if (!identical(kind, "research")) cellscore <- sapply(CELLS, function(cl) {
  m <- keyed[, cell_of == cl, drop = FALSE]
  ifelse(rowSums(!is.na(m)) >= ncol(m) / 2, rowMeans(m, na.rm = TRUE), NA)
})

# R's values, by JSON pointer into results.json.
val <- new.env(hash = TRUE)
put <- function(pointer, x) {
  x <- if (is.null(x) || length(x) == 0) NA_real_ else suppressWarnings(as.numeric(x[[1]]))
  assign(pointer, x, envir = val)
}
ptr <- function(...) paste0("/", paste(c(...), collapse = "/"))

wave_checks <- function() {
  k <- results$minGroupSize
  current <- results$wave
  A <- smax - smin + 1
  ranvar <- (A^2 - 1) / 12
  rows_of <- function(units, wave = current) which(d$wave == wave & d$unit %in% units)
  # rwg(j) over the members who answered all the items (multilevel::rwg.j drops incomplete rows); none below k.
  rwg <- function(r, cols) {
    q <- raw[r, cols, drop = FALSE]
    q <- q[stats::complete.cases(q), , drop = FALSE]
    if (nrow(q) < k) return(NA_real_)
    multilevel::rwg.j(q, rep(1, nrow(q)), ranvar)$rwg.j[1]
  }
  aggregate <- function(prefix, r) {
    cs <- colMeans(cellscore[r, , drop = FALSE])
    put(ptr(prefix, "n"), length(r))
    for (cl in CELLS) put(ptr(prefix, "cells", cl), cs[[cl]])
    for (nm in names(DIMS)) put(ptr(prefix, "dimensions", nm), mean(cs[dim_cells(nm)]))
    for (nm in names(LEVERS)) put(ptr(prefix, "levers", nm), mean(cs[lever_cells(nm)]))
    put(ptr(prefix, "seiCi"), mean(cs))
    put(ptr(prefix, "agreement", "index"), rwg(r, items))
    for (cl in CELLS) put(ptr(prefix, "agreement", "cells", cl), rwg(r, items[cell_of == cl]))
    for (nm in names(DIMS)) put(ptr(prefix, "agreement", "dimensions", nm), rwg(r, items[cell_of %in% dim_cells(nm)]))
    for (nm in names(LEVERS)) put(ptr(prefix, "agreement", "levers", nm), rwg(r, items[cell_of %in% lever_cells(nm)]))
  }
  dims_of <- function(r) {
    cs <- colMeans(cellscore[r, , drop = FALSE])
    vapply(names(DIMS), function(nm) mean(cs[dim_cells(nm)]), 0)
  }

  # Units published as units, wave by wave: dimension scores, z against the baseline wave's units, M.
  base <- results$baselineWave
  scored <- split(units_csv$unit, units_csv$wave)
  dims <- list()
  for (w in names(scored)) for (u in scored[[w]]) dims[[paste(w, u)]] <- dims_of(rows_of(u, w))
  base_dims <- do.call(rbind, lapply(scored[[base]], function(u) dims[[paste(base, u)]]))
  bm <- colMeans(base_dims)
  bs <- apply(base_dims, 2, stats::sd)
  z_of <- function(w, u) (dims[[paste(w, u)]] - bm) / bs
  M_of <- function(w, u) stats::sd(z_of(w, u))
  dominant_of <- function(w, u) names(DIMS)[which.max(z_of(w, u))]
  median_M <- function(w) stats::median(vapply(scored[[w]], function(u) M_of(w, u), 0))

  for (i in seq_along(results$units)) {
    u <- results$units[[i]]
    prefix <- c("units", i - 1)
    if (isTRUE(u$suppressed) || isTRUE(u$rollup) || !(u$unitKey %in% scored[[current]])) next
    r <- rows_of(u$unitKey)
    aggregate(prefix, r)
    for (nm in names(DIMS)) put(ptr(prefix, "rwgj", nm), get(ptr(prefix, "agreement", "dimensions", nm), envir = val))
    z <- z_of(current, u$unitKey)
    for (nm in names(DIMS)) put(ptr(prefix, "z", nm), z[[nm]])
    put(ptr(prefix, "misalignment"), M_of(current, u$unitKey))
    put(ptr(prefix, "drift"), if (u$unitKey %in% scored[[base]]) M_of(current, u$unitKey) - M_of(base, u$unitKey) else NA)
    if (length(u$trend) > 0) {
      first <- u$trend[[1]]$wave
      for (j in seq_along(u$trend)) {
        w <- u$trend[[j]]$wave
        put(ptr(prefix, "trend", j - 1, "misalignment"), M_of(w, u$unitKey))
        put(ptr(prefix, "trend", j - 1, "change"), M_of(w, u$unitKey) - M_of(first, u$unitKey))
        put(ptr(prefix, "trend", j - 1, "organisationMedian"), median_M(w))
      }
    }
    put(ptr("counts", u$unitKey), length(r))
  }

  # Roll-ups and the organisation that pool bundled units only.
  pooled <- read_json(file.path("data", "aggregates.json"))$aggregates
  for (a in pooled) {
    members <- unlist(a$units)
    r <- rows_of(members)
    if (a$key == "@organisation") {
      aggregate("organisation", r)
    } else {
      i <- which(vapply(results$units, function(u) u$unitKey, "") == a$key)
      aggregate(c("units", i - 1), r)
      for (nm in names(DIMS)) put(ptr("units", i - 1, "rwgj", nm), get(ptr("units", i - 1, "agreement", "dimensions", nm), envir = val))
      # A roll-up has no z, M or drift (those are defined for units scored on their own members).
      for (x in c("z", "misalignment", "drift")) put(ptr("units", i - 1, x), NA)
    }
    put(ptr("counts", a$key), length(r))
  }

  sample <- rows_of(scored[[current]])
  put("/n", length(sample))

  # ICC(1), ICC(2) and F per dimension: one-way ANOVA of respondents' dimension scores on units.
  if (!is.null(results$agreement$structural)) {
    for (nm in names(DIMS)) {
      score <- rowMeans(cellscore[sample, dim_cells(nm), drop = FALSE])
      unit <- factor(d$unit[sample])
      fit <- stats::aov(score ~ unit)
      tab <- summary(fit)[[1]]
      prefix <- c("agreement", nm)
      put(ptr(prefix, "icc1"), multilevel::ICC1(fit))
      put(ptr(prefix, "icc2"), multilevel::ICC2(fit))
      put(ptr(prefix, "F"), tab[1, "F value"])
      put(ptr(prefix, "df1"), tab[1, "Df"])
      put(ptr(prefix, "df2"), tab[2, "Df"])
      put(ptr(prefix, "p"), tab[1, "Pr(>F)"])
      rw <- unlist(lapply(seq_along(results$units), function(i) {
        u <- results$units[[i]]
        if (isTRUE(u$suppressed) || isTRUE(u$rollup) || !(u$unitKey %in% scored[[current]])) return(NULL)
        get(ptr("units", i - 1, "agreement", "dimensions", nm), envir = val)
      }))
      rw <- rw[!is.na(rw)]
      put(ptr(prefix, "meanRwgj"), if (length(rw) > 0) mean(rw) else NA)
    }
  }

  # Reliability per dimension, lever and cell over the units published as units (psych::alpha, pairwise).
  for (name in names(results$reliability)) {
    entry <- results$reliability[[name]]
    if (is.null(entry$alpha)) next
    cells <- if (name %in% names(DIMS)) dim_cells(name) else if (name %in% names(LEVERS)) lever_cells(name) else name
    x <- keyed[sample, cell_of %in% cells, drop = FALSE]
    a <- suppressWarnings(suppressMessages(psych::alpha(x, use = "pairwise", check.keys = FALSE, warnings = FALSE)))
    prefix <- c("reliability", name)
    put(ptr(prefix, "nRows"), nrow(x))
    put(ptr(prefix, "nItems"), ncol(x))
    put(ptr(prefix, "alpha"), a$total$raw_alpha)
    put(ptr(prefix, "alphaStd"), a$total$std.alpha)
    put(ptr(prefix, "averageR"), a$total$average_r)
    put(ptr(prefix, "alphaSe"), a$total$ase)
    put(ptr(prefix, "alphaCi", "lower"), a$feldt$lower.ci$raw_alpha)
    put(ptr(prefix, "alphaCi", "upper"), a$feldt$upper.ci$raw_alpha)
  }

  # The drift analysis: M per wave from the unit's baseline, its change, and the OLS trend over wave positions.
  if (!is.null(results$drift)) {
    waves <- unlist(results$drift$waves)
    for (j in seq_along(results$drift$units)) {
      du <- results$drift$units[[j]]
      prefix <- c("drift", "units", j - 1)
      hw <- vapply(du$history, function(h) h$wave, "")
      M <- vapply(hw, function(w) M_of(w, du$unit), 0)
      put(ptr(prefix, "baseline"), M[[1]])
      for (h in seq_along(hw)) {
        put(ptr(prefix, "history", h - 1, "misalignment"), M[[h]])
        put(ptr(prefix, "history", h - 1, "change"), M[[h]] - M[[1]])
      }
      put(ptr(prefix, "change"), M[[length(M)]] - M[[1]])
      position <- match(hw, waves) - 1
      put(ptr(prefix, "trend"), if (length(unique(position)) > 1) stats::coef(stats::lm(M ~ position))[[2]] else NA)
      dom <- vapply(hw, function(w) dominant_of(w, du$unit), "")
      put(ptr(prefix, "dominanceChanges"), sum(dom[-1] != dom[-length(dom)]))
    }
  }
}

scale_developer_checks <- function() {
  for (p in c("lavaan", "semTools", "GPArotation")) if (!requireNamespace(p, quietly = TRUE)) fail("the R package", p, "is not installed.")
  sample <- which(d$wave == options$wave)
  X <- keyed[sample, , drop = FALSE]
  put("/n", nrow(X))
  put("/nItems", ncol(X))
  context <- units_csv$context[match(paste(options$wave, d$unit[sample]), paste(units_csv$wave, units_csv$unit))]

  # Item statistics per cell (psych::alpha's item.stats and alpha.drop, pairwise), floor and ceiling shares.
  cell_alpha <- list()
  for (cl in CELLS) cell_alpha[[cl]] <- suppressWarnings(suppressMessages(psych::alpha(X[, cell_of == cl, drop = FALSE], use = "pairwise", check.keys = FALSE, warnings = FALSE)))
  for (i in seq_along(results$items)) {
    it <- results$items[[i]]
    a <- cell_alpha[[it$cell]]
    s <- a$item.stats[it$item, ]
    x <- X[, it$item]
    prefix <- c("items", i - 1)
    put(ptr(prefix, "n"), sum(!is.na(x)))
    put(ptr(prefix, "mean"), mean(x, na.rm = TRUE))
    put(ptr(prefix, "sd"), stats::sd(x, na.rm = TRUE))
    put(ptr(prefix, "floor"), mean(x[!is.na(x)] == smin))
    put(ptr(prefix, "ceiling"), mean(x[!is.na(x)] == smax))
    put(ptr(prefix, "rTotal"), s$raw.r)
    put(ptr(prefix, "rDrop"), s$r.drop)
    put(ptr(prefix, "alphaIfDropped"), a$alpha.drop[it$item, "raw_alpha"])
  }

  # Reliability: alpha (pairwise) and omega total of a one-factor ML model on the complete rows (lavaan + semTools).
  for (i in seq_along(results$reliability)) {
    row <- results$reliability[[i]]
    if (is.null(row$alpha)) next
    cells <- switch(row$kind, cell = row$scale, dimension = dim_cells(tolower(row$scale)), lever = lever_cells(tolower(row$scale)))
    x <- X[, cell_of %in% cells, drop = FALSE]
    a <- suppressWarnings(suppressMessages(psych::alpha(x, use = "pairwise", check.keys = FALSE, warnings = FALSE)))
    prefix <- c("reliability", i - 1)
    put(ptr(prefix, "nItems"), ncol(x))
    put(ptr(prefix, "n"), nrow(x))
    put(ptr(prefix, "alpha"), a$total$raw_alpha)
    put(ptr(prefix, "alphaStd"), a$total$std.alpha)
    put(ptr(prefix, "averageR"), a$total$average_r)
    complete <- as.data.frame(x[stats::complete.cases(x), , drop = FALSE])
    put(ptr(prefix, "nOmega"), nrow(complete))
    if (!is.null(row$omegaTotal)) {
      fit <- lavaan::cfa(paste("f =~", paste(colnames(x), collapse = " + ")), data = complete, likelihood = "normal", se = "none")
      put(ptr(prefix, "omegaTotal"), semTools::compRelSEM(fit, obs.var = FALSE)[["f"]])
    }
  }

  # Parallel analysis: the observed eigenvalues of the pairwise correlation matrix (psych::fa.parallel's pc.values).
  R <- stats::cor(X, use = "pairwise")
  if (!is.null(results$parallel$eigenvalues)) {
    ev <- eigen(R, symmetric = TRUE, only.values = TRUE)$values
    for (j in seq_along(results$parallel$eigenvalues)) put(ptr("parallel", "eigenvalues", j - 1), ev[j])
  }

  # EFA: psych::fa(minres, oblimin, pairwise), factors aligned to seici's by congruence and sign.
  efa <- results$efa
  if (!is.null(efa$loadings)) {
    f <- suppressWarnings(suppressMessages(psych::fa(X, nfactors = efa$nfactors, fm = "minres", rotate = "oblimin", use = "pairwise")))
    put("/efa/nfactors", f$factors)
    put("/efa/kmo", psych::KMO(R)$MSA)
    if (!is.null(efa$bartlett)) {
      b <- psych::cortest.bartlett(R, n = nrow(X))
      put("/efa/bartlett/chisq", b$chisq)
      put("/efa/bartlett/df", b$df)
      put("/efa/bartlett/p", b$p.value)
    }
    put("/efa/rmsea", f$RMSEA[[1]])
    put("/efa/tli", f$TLI)
    S <- t(vapply(efa$loadings, function(l) as.numeric(unlist(l$loadings)), numeric(efa$nfactors)))
    rownames(S) <- vapply(efa$loadings, function(l) l$item, "")
    L <- unclass(f$loadings)[rownames(S), , drop = FALSE]
    congruence <- psych::factor.congruence(S, L)
    aligned <- matrix(0, nrow(S), ncol(S))
    free <- seq_len(ncol(L))
    for (j in order(-apply(abs(congruence), 1, max))) {
      best <- free[which.max(abs(congruence[j, free]))]
      aligned[, j] <- L[, best] * sign(congruence[j, best])
      free <- setdiff(free, best)
    }
    for (i in seq_along(efa$loadings)) {
      row <- aligned[i, ]
      prefix <- c("efa", "loadings", i - 1)
      for (j in seq_along(row)) put(ptr(prefix, "loadings", j - 1), row[j])
      put(ptr(prefix, "communality"), f$communality[[rownames(S)[i]]])
      o <- order(-abs(row))
      put(ptr(prefix, "primaryLoading"), row[o[1]])
      put(ptr(prefix, "crossLoading"), if (length(row) > 1) row[o[2]] else NA)
    }
  }

  # CFA of each dimension's cell model, FIML (lavaan::sem(missing = "ml")).
  frame <- as.data.frame(X)
  measures <- c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr")
  model_of <- function(name) paste(readLines(at("models", paste0("cfa_", name, ".lav"))), collapse = "\n")
  for (i in seq_along(results$cfa)) {
    row <- results$cfa[[i]]
    if (is.null(row$chisq)) next
    name <- sub(":.*$", "", row$model)
    fit <- lavaan::sem(model_of(name), data = frame, missing = "ml", se = "none")
    fm <- lavaan::fitMeasures(fit, measures)
    prefix <- c("cfa", i - 1)
    put(ptr(prefix, "n"), lavaan::lavInspect(fit, "ntotal"))
    for (m in measures) put(ptr(prefix, m), fm[[m]])
    # the 90% confidence interval of the RMSEA
    ci <- lavaan::fitMeasures(fit, c("rmsea.ci.lower", "rmsea.ci.upper"))
    put(ptr(prefix, "rmseaLower"), ci[["rmsea.ci.lower"]])
    put(ptr(prefix, "rmseaUpper"), ci[["rmsea.ci.upper"]])
    # standardized loadings (std.all) of the items on their cell factors
    if (length(row$loadings) > 0) {
      ss <- lavaan::standardizedSolution(fit, se = FALSE, zstat = FALSE, pvalue = FALSE, ci = FALSE)
      for (k in seq_along(row$loadings)) {
        l <- row$loadings[[k]]
        hit <- ss$est.std[ss$op == "=~" & ss$lhs == l$factor & ss$rhs == l$item]
        put(ptr(prefix, "loadings", k - 1, "std"), if (length(hit) == 1) hit else NA)
      }
    }
  }

  # Measurement invariance across contexts: configural, metric, scalar, strict (lavaan group.equal), FIML.
  constraints <- list(configural = character(0), metric = "loadings", scalar = c("loadings", "intercepts"),
                      strict = c("loadings", "intercepts", "residuals"))
  grouped <- cbind(frame, .context = context)
  grouped <- grouped[!is.na(grouped$.context), , drop = FALSE]
  for (i in seq_along(results$invariance)) {
    tab <- results$invariance[[i]]
    if (is.null(tab$models)) next
    prefix <- c("invariance", i - 1)
    groups <- unlist(tab$groups)
    for (g in seq_along(groups)) put(ptr(prefix, "groupSizes", g - 1), sum(grouped$.context == groups[g]))
    fits <- list()
    for (m in seq_along(tab$models)) {
      level <- tab$models[[m]]$level
      equal <- constraints[[level]]
      fit <- if (length(equal) == 0) {
        lavaan::cfa(model_of(tab$scale), data = grouped, group = ".context", missing = "ml", se = "none")
      } else {
        lavaan::cfa(model_of(tab$scale), data = grouped, group = ".context", group.equal = equal, missing = "ml", se = "none")
      }
      fm <- lavaan::fitMeasures(fit, c("chisq", "df", "cfi", "rmsea", "srmr"))
      fits[[level]] <- fm
      for (x in names(fm)) put(ptr(prefix, "models", m - 1, x), fm[[x]])
    }
    for (c in seq_along(tab$comparisons)) {
      cmp <- tab$comparisons[[c]]
      a <- fits[[cmp$from]]
      b <- fits[[cmp$to]]
      cp <- c(prefix, "comparisons", c - 1)
      put(ptr(cp, "chisqDiff"), b[["chisq"]] - a[["chisq"]])
      put(ptr(cp, "dfDiff"), b[["df"]] - a[["df"]])
      put(ptr(cp, "p"), stats::pchisq(max(b[["chisq"]] - a[["chisq"]], 0), b[["df"]] - a[["df"]], lower.tail = FALSE))
      put(ptr(cp, "deltaCfi"), b[["cfi"]] - a[["cfi"]])
      put(ptr(cp, "deltaRmsea"), b[["rmsea"]] - a[["rmsea"]])
    }
  }
}

# Research runs: the hypotheses H1-H7 of shared/CONTRACT.md on the bundled unit-wave panel.
verdict <- new.env(hash = TRUE)
research_checks <- function() {
  spec <- read_json(file.path("models", "hypotheses.json"))
  panel <- utils::read.csv(at("data", "panel.csv"), colClasses = c(unit = "character", wave = "character"),
                           check.names = FALSE, na.strings = "")
  level <- results$options$level
  roles <- spec$waves
  units <- unique(panel$unit)
  of_wave <- function(w, v) {
    s <- panel[panel$wave == w, , drop = FALSE]
    as.numeric(s[[v]][match(units, s$unit)])
  }
  # The three-wave design: one row per unit, T1 predictors, T2 dynamics, T3 PQ.
  wide <- list()
  for (role in c("T1", "T2", "T3")) for (v in unlist(spec$variables[[role]])) wide[[v]] <- of_wave(roles[[role]], v)
  wide <- as.data.frame(wide, check.names = FALSE)

  for (k in seq_along(results$waves)) put(ptr("waves", k - 1, "units"), sum(panel$wave == results$waves[[k]]$label))
  put("/design/units", length(units))
  put("/design/unitsInAllWaves", sum(vapply(units, function(u) all(vapply(roles, function(w) any(panel$unit == u & panel$wave == w), NA)), NA)))
  for (k in seq_along(results$design$variables)) {
    v <- results$design$variables[[k]]
    put(ptr("design", "variables", k - 1, "units"), sum(is.finite(of_wave(roles[[v$role]], v$name))))
  }

  r_name <- function(term) if (grepl("\\^2$", term)) paste0("I(", term, ")") else term
  centred <- function(x, vars) {
    for (v in vars) x[[v]] <- x[[v]] - mean(x[[v]])
    x
  }
  q_norm <- stats::qnorm((1 + level) / 2)
  # A model of the spec on the test's units: lm with its centred variables, and its numbers put under `prefix`.
  fit_model <- function(d, m, prefix) {
    vars <- unlist(m$centre)
    fit <- stats::lm(stats::as.formula(m$formula), data = centred(d, vars))
    ct <- lmtest::coeftest(fit)
    hc3 <- sqrt(diag(sandwich::vcovHC(fit, type = "HC3")))
    ci <- stats::confint(fit, level = level)
    s <- summary(fit)
    terms <- unlist(m$terms)
    for (j in seq_along(terms)) {
      r <- r_name(terms[j])
      tp <- c(prefix, "terms", j - 1)
      put(ptr(tp, "est"), ct[r, 1])
      put(ptr(tp, "se"), ct[r, 2])
      put(ptr(tp, "seHc3"), hc3[[r]])
      put(ptr(tp, "t"), ct[r, 3])
      put(ptr(tp, "p"), ct[r, 4])
      put(ptr(tp, "ciLower"), ci[r, 1])
      put(ptr(tp, "ciUpper"), ci[r, 2])
    }
    put(ptr(prefix, "r2"), s$r.squared)
    put(ptr(prefix, "adjR2"), s$adj.r.squared)
    f <- s$fstatistic
    put(ptr(prefix, "f", "value"), f[["value"]])
    put(ptr(prefix, "f", "df1"), f[["numdf"]])
    put(ptr(prefix, "f", "df2"), f[["dendf"]])
    put(ptr(prefix, "f", "p"), stats::pf(f[["value"]], f[["numdf"]], f[["dendf"]], lower.tail = FALSE))
    for (v in vars) put(ptr(prefix, "centred", v), mean(d[[v]]))
    fit
  }
  # A linear combination of coefficients with its classical SE and two-sided t test.
  contrast <- function(fit, w) {
    b <- stats::coef(fit)
    L <- setNames(numeric(length(b)), names(b))
    L[names(w)] <- unlist(w)
    est <- sum(L * b)
    se <- sqrt(drop(t(L) %*% stats::vcov(fit) %*% L))
    t <- est / se
    list(est = est, se = se, t = t, df = stats::df.residual(fit), p = 2 * stats::pt(-abs(t), stats::df.residual(fit)))
  }
  term_p <- function(fit, term) lmtest::coeftest(fit)[r_name(term), 4]
  coefficient <- function(fit, term) stats::coef(fit)[[r_name(term)]]
  # seici's resamples, replayed with its own generator: for each resample, n draws of unit floor(u * n) + 1.
  resamples <- new.env()
  draws <- function(n, B, seed) {
    key <- paste(n, B, seed)
    if (!is.null(resamples[[key]])) return(resamples[[key]])
    rnd <- seici_prng(seed)
    idx <- matrix(0L, B, n)
    for (b in seq_len(B)) for (i in seq_len(n)) idx[b, i] <- floor(rnd() * n) + 1L
    resamples[[key]] <- idx
    idx
  }
  # Coefficients of a model refitted on resampled rows (recentred at the resample's own means); NA when rank-deficient.
  refit <- function(x, m) {
    x <- centred(x, unlist(m$centre))
    X <- stats::model.matrix(stats::as.formula(m$formula), x)
    y <- x[[sub(" ~.*$", "", m$formula)]]
    f <- stats::lm.fit(X, y)
    if (f$rank < ncol(X)) return(setNames(rep(NA_real_, ncol(X)), colnames(X)))
    setNames(f$coefficients, colnames(X))
  }
  percentile <- function(reps, prefix_of) {
    for (k in seq_len(ncol(reps))) {
      v <- reps[, k]
      v <- v[is.finite(v)]
      q <- stats::quantile(v, c((1 - level) / 2, (1 + level) / 2), type = 7, names = FALSE)
      put(ptr(prefix_of(k), "ciLower"), q[1])
      put(ptr(prefix_of(k), "ciUpper"), q[2])
    }
    min(colSums(is.finite(reps)))
  }
  copy <- function(to, from) assign(to, get(from, envir = val), envir = val)

  for (i in seq_along(results$hypotheses)) {
    h <- results$hypotheses[[i]]
    if (!is.null(h$error)) next
    name <- h$hypothesis
    hs <- spec$hypotheses[[name]]
    vars <- unlist(hs$variables)
    d <- wide[stats::complete.cases(wide[, vars]), vars, drop = FALSE]
    hp <- c("hypotheses", i - 1)
    rp <- c(hp, "result")
    put(ptr(hp, "n"), nrow(d))
    put(ptr(rp, "n"), nrow(d))
    fits <- list()
    for (m in names(hs$models)) fits[[m]] <- fit_model(d, hs$models[[m]], c(rp, "models", m))
    estimate_from <- function(k, from) {
      for (w in c("est", "ciLower", "ciUpper")) copy(ptr(hp, "estimates", k - 1, w), ptr(from, w))
      copy(ptr(hp, "estimates", k - 1, "p"), ptr(from, "p"))
    }
    term_at <- function(model, term) c(rp, "models", model, "terms", match(term, unlist(hs$models[[model]]$terms)) - 1)
    B <- h$result$bootstrap$replicates
    seed <- h$result$bootstrap$seed
    ok <- NA
    if (name == "H1") {
      a <- fits$a; b <- fits$b
      bt <- coefficient(b, "TC"); sbt <- lmtest::coeftest(b)["TC", 2]
      xs <- c("SC", "RC")
      for (k in seq_along(xs)) {
        ax <- coefficient(a, xs[k]); sa <- lmtest::coeftest(a)[xs[k], 2]
        e <- c(rp, "indirect", k - 1)
        se <- sqrt(ax^2 * sbt^2 + bt^2 * sa^2)
        put(ptr(e, "est"), ax * bt)
        put(ptr(e, "sobelSe"), se)
        put(ptr(e, "sobelZ"), ax * bt / se)
        put(ptr(e, "sobelP"), 2 * stats::pnorm(-abs(ax * bt / se)))
        put(ptr(e, "direct"), coefficient(b, xs[k]))
      }
      idx <- draws(nrow(d), B, seed)
      reps <- t(vapply(seq_len(B), function(r) {
        x <- d[idx[r, ], , drop = FALSE]
        ca <- refit(x, hs$models$a); cb <- refit(x, hs$models$b)
        c(ca[["SC"]], ca[["RC"]]) * cb[["TC"]]
      }, numeric(2)))
      put(ptr(rp, "bootstrap", "valid"), percentile(reps, function(k) c(rp, "indirect", k - 1)))
      for (k in seq_along(xs)) {
        e <- ptr(rp, "indirect", k - 1)
        for (w in c("est", "ciLower", "ciUpper")) copy(ptr(hp, "estimates", k - 1, w), paste0(e, "/", w))
        copy(ptr(hp, "estimates", k - 1, "p"), paste0(e, "/sobelP"))
      }
      lo <- vapply(seq_along(xs), function(k) get(ptr(rp, "indirect", k - 1, "ciLower"), envir = val), 0)
      hi <- vapply(seq_along(xs), function(k) get(ptr(rp, "indirect", k - 1, "ciUpper"), envir = val), 0)
      ok <- any(lo > 0 | hi < 0)
    } else if (name == "H2") {
      a <- fits$a; b <- fits$b
      bt <- coefficient(b, "TC")
      s <- stats::sd(d$dynamism)
      xs <- c("SC", "RC")
      levels <- c(-s, 0, s)
      for (k in seq_along(xs)) {
        put(ptr(rp, "moderatedMediation", k - 1, "index"), coefficient(a, paste0(xs[k], ":dynamism")) * bt)
        for (j in 1:3) {
          e <- c(rp, "conditionalIndirect", 3 * (k - 1) + j - 1)
          put(ptr(e, "at"), levels[j])
          put(ptr(e, "est"), (coefficient(a, xs[k]) + coefficient(a, paste0(xs[k], ":dynamism")) * levels[j]) * bt)
        }
      }
      idx <- draws(nrow(d), B, seed)
      reps <- t(vapply(seq_len(B), function(r) {
        x <- d[idx[r, ], , drop = FALSE]
        ca <- refit(x, hs$models$a); cb <- refit(x, hs$models$b)
        sr <- stats::sd(x$dynamism)
        c(ca[["SC:dynamism"]] * cb[["TC"]], ca[["RC:dynamism"]] * cb[["TC"]],
          vapply(c(-sr, 0, sr), function(w) (ca[["SC"]] + ca[["SC:dynamism"]] * w) * cb[["TC"]], 0),
          vapply(c(-sr, 0, sr), function(w) (ca[["RC"]] + ca[["RC:dynamism"]] * w) * cb[["TC"]], 0))
      }, numeric(8)))
      put(ptr(rp, "bootstrap", "valid"), percentile(reps, function(k) if (k <= 2) c(rp, "moderatedMediation", k - 1) else c(rp, "conditionalIndirect", k - 3)))
      for (k in seq_along(xs)) {
        e <- ptr(rp, "moderatedMediation", k - 1)
        copy(ptr(hp, "estimates", k - 1, "est"), paste0(e, "/index"))
        for (w in c("ciLower", "ciUpper")) copy(ptr(hp, "estimates", k - 1, w), paste0(e, "/", w))
        put(ptr(hp, "estimates", k - 1, "p"), NA)
      }
      index <- vapply(seq_along(xs), function(k) get(ptr(rp, "moderatedMediation", k - 1, "index"), envir = val), 0)
      lo <- vapply(seq_along(xs), function(k) get(ptr(rp, "moderatedMediation", k - 1, "ciLower"), envir = val), 0)
      ok <- any(index > 0 & lo > 0)
      for (j in seq_along(results$charts$conditionalIndirect)) for (w in c("at", "est", "ciLower", "ciUpper")) {
        copy(ptr("charts", "conditionalIndirect", j - 1, w), ptr(rp, "conditionalIndirect", j - 1, w))
      }
    } else if (name == "H3") {
      fit <- fits$levers
      products <- c("accountability:communication", "accountability:visibility", "communication:visibility")
      for (k in seq_along(products)) {
        parts <- strsplit(products[k], ":", fixed = TRUE)[[1]]
        s <- stats::sd(d[[parts[2]]])
        for (j in 1:2) {
          w <- list(1, c(-s, s)[j]); names(w) <- c(parts[1], products[k])
          cst <- contrast(fit, w)
          e <- c(rp, "simpleSlopes", 2 * (k - 1) + j - 1)
          for (x in c("est", "se", "t", "p")) put(ptr(e, x), cst[[x]])
        }
        estimate_from(k, term_at("levers", products[k]))
      }
      ok <- all(vapply(products, function(p) coefficient(fit, p) > 0 && term_p(fit, p) < 0.05, NA))
    } else if (name == "H4") {
      estimate_from(1, term_at("drift", "M"))
      estimate_from(2, term_at("rework", "M"))
      ok <- coefficient(fits$drift, "M") > 0 && term_p(fits$drift, "M") < 0.05 && coefficient(fits$rework, "M") > 0 && term_p(fits$rework, "M") < 0.05
    } else if (name == "H5") {
      s1 <- fits$step1; s2 <- fits$step2
      av <- stats::anova(s1, s2)
      put(ptr(rp, "deltaR2", "value"), summary(s2)$r.squared - summary(s1)$r.squared)
      put(ptr(rp, "deltaR2", "F"), av$F[2])
      put(ptr(rp, "deltaR2", "df1"), av$Df[2])
      put(ptr(rp, "deltaR2", "df2"), av$Res.Df[2])
      put(ptr(rp, "deltaR2", "p"), av[["Pr(>F)"]][2])
      cst <- contrast(s2, list(visCoherence = 1, visOutcome = -1))
      for (x in c("est", "se", "t", "df", "p")) put(ptr(rp, "difference", x), cst[[x]])
      crit <- stats::qt(1 - (1 - level) / 2, cst$df)
      put(ptr(hp, "estimates", 0, "est"), cst$est)
      put(ptr(hp, "estimates", 0, "ciLower"), cst$est - crit * cst$se)
      put(ptr(hp, "estimates", 0, "ciUpper"), cst$est + crit * cst$se)
      put(ptr(hp, "estimates", 0, "p"), cst$p)
      copy(ptr(hp, "estimates", 1, "est"), ptr(rp, "deltaR2", "value"))
      put(ptr(hp, "estimates", 1, "ciLower"), NA)
      put(ptr(hp, "estimates", 1, "ciUpper"), NA)
      copy(ptr(hp, "estimates", 1, "p"), ptr(rp, "deltaR2", "p"))
      ok <- cst$est > 0 && cst$p < 0.05
    } else if (name == "H6") {
      estimate_from(1, term_at("pq", "TC:leadershipDensity"))
      estimate_from(2, term_at("drift", "SxA:leadershipDensity"))
      ok <- coefficient(fits$pq, "TC:leadershipDensity") > 0 && term_p(fits$pq, "TC:leadershipDensity") < 0.05 &&
        coefficient(fits$drift, "SxA:leadershipDensity") < 0 && term_p(fits$drift, "SxA:leadershipDensity") < 0.05
    } else if (name == "H7") {
      fit <- fits$quadratic
      b <- stats::coef(fit); V <- stats::vcov(fit)
      b1 <- b[["M"]]; b2 <- b[["I(M^2)"]]
      g <- c(-1 / (2 * b2), b1 / (2 * b2^2))
      Vs <- V[c("M", "I(M^2)"), c("M", "I(M^2)")]
      tp <- -b1 / (2 * b2)
      tse <- sqrt(drop(t(g) %*% Vs %*% g))
      put(ptr(rp, "turningPoint", "est"), tp)
      put(ptr(rp, "turningPoint", "se"), tse)
      put(ptr(rp, "turningPoint", "ciLower"), tp - q_norm * tse)
      put(ptr(rp, "turningPoint", "ciUpper"), tp + q_norm * tse)
      lower <- min(d$M); upper <- max(d$M)
      slope <- function(x, at) {
        e <- b1 + 2 * b2 * x
        se <- sqrt(Vs[1, 1] + 4 * x^2 * Vs[2, 2] + 4 * x * Vs[1, 2])
        for (w in c("at", "est", "se", "t")) put(ptr(rp, "lindMehlum", at, w), c(at = x, est = e, se = se, t = e / se)[[w]])
        e / se
      }
      tl <- slope(lower, "slopeLower"); tu <- slope(upper, "slopeUpper")
      lmt <- min(tl, -tu)
      lmp <- stats::pt(lmt, stats::df.residual(fit), lower.tail = FALSE)
      put(ptr(rp, "lindMehlum", "t"), lmt)
      put(ptr(rp, "lindMehlum", "p"), lmp)
      put(ptr(rp, "lindMehlum", "lower"), lower)
      put(ptr(rp, "lindMehlum", "upper"), upper)
      estimate_from(1, term_at("quadratic", "M^2"))
      for (w in c("est", "ciLower", "ciUpper")) copy(ptr(hp, "estimates", 1, w), ptr(rp, "turningPoint", w))
      put(ptr(hp, "estimates", 1, "p"), NA)
      for (w in c("est", "ciLower", "ciUpper")) copy(ptr("charts", "invertedU", "turningPoint", w), ptr(rp, "turningPoint", w))
      curve <- results$charts$invertedU$curve
      for (j in seq_along(curve)) {
        m <- lower + (upper - lower) * (j - 1) / (length(curve) - 1)
        put(ptr("charts", "invertedU", "curve", j - 1, "m"), m)
        put(ptr("charts", "invertedU", "curve", j - 1, "pq"), b[["(Intercept)"]] + b1 * m + b2 * m^2)
      }
      ok <- b2 < 0 && lmp < 0.05
    }
    assign(ptr(hp, "supported"), ok, envir = verdict)
  }
}

# The panel designs (research runs since they joined): plm's within estimators clustered by unit,
# and the cross-lagged panel model with lavaan, on data/panel.csv with the waves by position.
panel_checks <- function() {
  pr <- results$panel
  for (p in c("plm", "lavaan")) if (!requireNamespace(p, quietly = TRUE)) fail("the R package", p, "is not installed (the panel designs need it).")
  panel <- utils::read.csv(at("data", "panel.csv"), colClasses = c(unit = "character", wave = "character"),
                           check.names = FALSE, na.strings = "")
  labels <- vapply(results$waves, function(w) w$label, "")
  starts <- vapply(results$waves, function(w) w$startsOn, "")
  units <- unique(panel$unit)
  # Each unit's event wave from the interface changes the run pinned: its earliest change, and the
  # first wave whose first day is on or after it (the first wave: always treated).
  first <- list()
  for (ch in options$interfaceChanges) {
    if (ch$unit %in% units && (is.null(first[[ch$unit]]) || ch$on < first[[ch$unit]])) first[[ch$unit]] <- ch$on
  }
  ev <- list(); always <- character(0)
  for (u in names(first)) {
    k <- which(first[[u]] <= starts)[1]
    if (is.na(k)) next
    if (k == 1) always <- c(always, u) else ev[[u]] <- k
  }
  put("/panel/treatedUnits", length(ev))
  put("/panel/alwaysTreated", length(always))
  for (u in names(ev)) put(ptr("panel", "eventWaves", u), ev[[u]])
  d <- panel
  d$w <- match(d$wave, labels)
  d$eventWave <- vapply(d$unit, function(u) if (is.null(ev[[u]])) NA_real_ else as.numeric(ev[[u]]), 0)
  d$treated <- ifelse(d$unit %in% always, NA, ifelse(is.na(d$eventWave), 0, 1))
  plm_put <- function(name, rows, formula, effect, terms) {
    if (!is.null(pr[[name]]$error)) return(invisible(NULL))
    pd <- plm::pdata.frame(rows, index = c("unit", "w"))
    f <- plm::plm(stats::as.formula(formula), data = pd, model = "within", effect = effect)
    ct <- lmtest::coeftest(f, vcov. = plm::vcovHC(f, method = "arellano", type = "sss"))
    df <- stats::df.residual(f)
    put(ptr("panel", name, "n"), stats::nobs(f))
    put(ptr("panel", name, "units"), plm::pdim(f)$nT$n)
    put(ptr("panel", name, "dfResidual"), df)
    put(ptr("panel", name, "r2Within"), summary(f)$r.squared[["rsq"]])
    crit <- stats::qt(0.975, df)
    for (j in seq_along(terms)) {
      tp <- c("panel", name, "terms", j - 1)
      r <- terms[j]
      put(ptr(tp, "est"), ct[r, 1]); put(ptr(tp, "se"), ct[r, 2]); put(ptr(tp, "t"), ct[r, 3]); put(ptr(tp, "p"), ct[r, 4])
      put(ptr(tp, "ciLower"), ct[r, 1] - crit * ct[r, 2]); put(ptr(tp, "ciUpper"), ct[r, 1] + crit * ct[r, 2])
    }
  }
  plm_put("fe", d[is.finite(d$PQ) & is.finite(d$TC), ], "PQ ~ TC", "individual", "TC")
  dd <- d[!is.na(d$treated), ]
  dd$D <- as.integer(!is.na(dd$eventWave) & dd$w >= dd$eventWave)
  dd$rel <- ifelse(is.na(dd$eventWave), NA, dd$w - dd$eventWave)
  ks <- setdiff(sort(unique(dd$rel[!is.na(dd$rel)])), -1)
  rel_names <- character(0)
  for (k in ks) {
    v <- paste0("rel_", ifelse(k < 0, paste0("m", -k), k))
    dd[[v]] <- as.integer(!is.na(dd$rel) & dd$rel == k)
    rel_names <- c(rel_names, v)
  }
  dd <- dd[is.finite(dd$PQ), ]
  plm_put("did", dd, "PQ ~ D", "twoways", "D")
  if (length(rel_names) > 0) plm_put("event", dd, paste("PQ ~", paste(rel_names, collapse = " + ")), "twoways", rel_names)
  if (is.null(pr$clpm$error)) {
    of_wave <- function(k, v) { s <- panel[panel$wave == labels[k], , drop = FALSE]; as.numeric(s[[v]][match(units, s$unit)]) }
    wd <- list()
    for (v in c(pr$clpm$x, pr$clpm$y)) for (k in seq_along(labels)) wd[[paste0(v, "_", k)]] <- of_wave(k, v)
    fit <- lavaan::sem(pr$clpm$syntax, data = as.data.frame(wd), missing = "listwise")
    put("/panel/clpm/n", lavaan::lavInspect(fit, "ntotal"))
    fm <- lavaan::fitMeasures(fit, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr"))
    for (m in names(fm)) put(ptr("panel", "clpm", "fit", m), fm[[m]])
    pe <- lavaan::parameterEstimates(fit)
    for (j in seq_along(pr$clpm$estimates)) {
      e <- pr$clpm$estimates[[j]]
      i <- which(pe$op == e$op & ((pe$lhs == e$lhs & pe$rhs == e$rhs) | (e$op == "~~" & pe$lhs == e$rhs & pe$rhs == e$lhs)))[1]
      if (is.na(i)) next
      tp <- c("panel", "clpm", "estimates", j - 1)
      put(ptr(tp, "est"), pe$est[i]); put(ptr(tp, "se"), pe$se[i]); put(ptr(tp, "z"), pe$z[i]); put(ptr(tp, "pvalue"), pe$pvalue[i])
    }
  }
}

if (identical(kind, "wave")) {
  wave_checks()
} else if (identical(kind, "scale-developer")) {
  scale_developer_checks()
} else if (identical(kind, "research")) {
  source(at("seici-prng.R"), local = TRUE)
  research_checks()
  if (!is.null(results$panel)) panel_checks()
} else {
  fail("no recipe for runs of kind", kind)
}

# 3. The comparison, number by number.
tolerance <- unlist(checks$tolerances)
seici_at <- function(pointer) {
  x <- results
  for (key in strsplit(sub("^/", "", pointer), "/", fixed = TRUE)[[1]]) {
    key <- gsub("~0", "~", gsub("~1", "/", key, fixed = TRUE), fixed = TRUE)
    if (is.null(names(x))) x <- x[[as.integer(key) + 1]] else x <- x[[key]]
    if (is.null(x)) return(NA_real_)
  }
  as.numeric(x)
}
agree <- 0
disagree <- character(0)
for (ch in checks$checks) {
  s <- seici_at(ch$pointer)
  r <- if (exists(ch$pointer, envir = val, inherits = FALSE)) get(ch$pointer, envir = val) else NULL
  tol <- tolerance[[ch$tolerance]]
  if (is.null(r)) {
    ok <- FALSE
    why <- "R computed no value"
  } else if (is.na(s) || is.na(r)) {
    ok <- is.na(s) && is.na(r)
    why <- if (ok) "both undefined" else "only one is defined"
  } else {
    diff <- abs(s - r)
    ok <- diff <= tol * max(1, abs(r))
    why <- sprintf("|d| = %.3g", diff)
  }
  fmt <- function(x) if (is.null(x) || is.na(x)) "NA" else formatC(x, digits = 10, format = "g")
  cat(sprintf("%-9s %s  seici %s  R %s  (%s, tolerance %g)\n", if (ok) "agree" else "DISAGREE", ch$pointer, fmt(s), fmt(r), why, tol))
  if (ok) agree <- agree + 1 else disagree <- c(disagree, ch$pointer)
}
cat(sprintf("\n%d numbers recomputed: %d agree, %d disagree; %d not recomputed (checks.json says why)\n",
            length(checks$checks), agree, length(disagree), length(checks$notChecked)))
# Verdicts (research runs): each hypothesis's `supported`, decided again from R's numbers by the contract's rule.
if (length(checks$verdicts) > 0) {
  same <- 0
  for (v in checks$verdicts) {
    r <- if (exists(v$pointer, envir = verdict, inherits = FALSE)) get(v$pointer, envir = verdict) else NA
    s <- if (is.null(v$seici)) NA else v$seici
    ok <- !is.na(r) && !is.na(s) && identical(as.logical(r), as.logical(s))
    cat(sprintf("%-9s %s  seici %s  R %s  (%s)\n", if (ok) "agree" else "DISAGREE", v$pointer, s, r, v$rule))
    if (ok) same <- same + 1 else disagree <- c(disagree, v$pointer)
  }
  cat(sprintf("%d verdicts recomputed: %d agree, %d disagree\n", length(checks$verdicts), same, length(checks$verdicts) - same))
}
if (length(disagree) > 0) {
  cat("R disagrees with seici on:", paste(disagree, collapse = " "), "\n")
  quit(status = 1)
}
cat("R agrees with seici on every number recomputed.\n")
