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

for (p in c("jsonlite", "psych", "multilevel")) {
  if (!requireNamespace(p, quietly = TRUE)) fail("the R package", p, "is not installed.")
}
read_json <- function(name) jsonlite::fromJSON(at(name), simplifyVector = FALSE)

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

CELLS <- c("SxA", "SxC", "SxV", "RxA", "RxC", "RxV", "TxA", "TxC", "TxV")
DIMS <- c(structural = "S", relational = "R", translational = "T")
LEVERS <- c(accountability = "A", communication = "C", visibility = "V")
dim_cells <- function(name) CELLS[substr(CELLS, 1, 1) == DIMS[[name]]]
lever_cells <- function(name) CELLS[substr(CELLS, 3, 3) == LEVERS[[name]]]

# Respondent cell scores: the mean of the answered items of the cell when at least half are answered.
cellscore <- sapply(CELLS, function(cl) {
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

kind <- options$kind
if (identical(kind, "wave")) wave_checks() else if (identical(kind, "scale-developer")) scale_developer_checks() else fail("no recipe for runs of kind", kind)

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
if (length(disagree) > 0) {
  cat("R disagrees with seici on:", paste(disagree, collapse = " "), "\n")
  quit(status = 1)
}
cat("R agrees with seici on every number recomputed.\n")
