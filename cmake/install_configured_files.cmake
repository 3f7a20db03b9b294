# Runs at install time (cmake --install, with --prefix and DESTDIR too):
# installs the files that name installed paths (systemd units, the fstab
# example, the mount helper) with the paths of this install's prefix.
#
# The sources are written for the default prefix, so the copies in dist/
# work as they are under /usr/local: "/usr/local/bin/" becomes this
# install's bindir, "/usr/local/share/doc/chantal" its docdir.
#
# Input (set by the install(CODE) of the top-level CMakeLists.txt):
#   CHANTAL_SOURCE_DIR, CHANTAL_STAGING_DIR (a scratch directory in the build)
#   CHANTAL_BINDIR, CHANTAL_DOCDIR           relative to the prefix, or absolute
#   CHANTAL_MOUNT_HELPER_DIR                 empty: /sbin for the prefixes /usr and
#                                            /usr/local (mount(8) looks for helpers in /sbin
#                                            only), <prefix>/sbin for any other prefix
#   CHANTAL_INSTALL_PART                     "files" (examples, fstab, helper) or "systemd"
#                                            (the units in <prefix>/lib/systemd/system)

function(chantal_full_path variable path)
  if(IS_ABSOLUTE "${path}")
    set(${variable} "${path}" PARENT_SCOPE)
  else()
    set(${variable} "${CMAKE_INSTALL_PREFIX}/${path}" PARENT_SCOPE)
  endif()
endfunction()

chantal_full_path(chantal_bindir "${CHANTAL_BINDIR}")
chantal_full_path(chantal_docdir "${CHANTAL_DOCDIR}")

# chantal_install_configured(SOURCE DESTINATION_DIR [RENAME NAME] [PROGRAM])
function(chantal_install_configured source destination)
  cmake_parse_arguments(PARSE_ARGV 2 arg "PROGRAM" "RENAME" "")
  get_filename_component(name "${source}" NAME)
  if(arg_RENAME)
    set(name "${arg_RENAME}")
  endif()
  file(READ "${source}" text)
  string(REPLACE "/usr/local/bin/" "${chantal_bindir}/" text "${text}")
  string(REPLACE "/usr/local/share/doc/chantal" "${chantal_docdir}" text "${text}")
  set(staged "${CHANTAL_STAGING_DIR}/${CHANTAL_INSTALL_PART}/${name}")
  file(WRITE "${staged}" "${text}")
  if(arg_PROGRAM)
    set(permissions PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  else()
    set(permissions PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()
  file(INSTALL DESTINATION "${destination}" TYPE FILE ${permissions} FILES "${staged}")
endfunction()

file(GLOB chantal_units "${CHANTAL_SOURCE_DIR}/dist/systemd/*")
if(CHANTAL_INSTALL_PART STREQUAL "systemd")
  foreach(unit ${chantal_units})
    chantal_install_configured("${unit}" "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
  endforeach()
  return()
endif()

foreach(unit ${chantal_units})
  chantal_install_configured("${unit}" "${chantal_docdir}/examples/systemd")
endforeach()
chantal_install_configured("${CHANTAL_SOURCE_DIR}/dist/fstab.example" "${chantal_docdir}/examples")

set(helper_dir "${CHANTAL_MOUNT_HELPER_DIR}")
if(helper_dir STREQUAL "")
  if(CMAKE_INSTALL_PREFIX MATCHES "^/usr(/local)?/?$")
    set(helper_dir "/sbin")
  else()
    set(helper_dir "sbin")
  endif()
endif()
chantal_full_path(helper_dir "${helper_dir}")
chantal_install_configured("${CHANTAL_SOURCE_DIR}/dist/mount.fuse.chantalfs" "${helper_dir}" PROGRAM)
